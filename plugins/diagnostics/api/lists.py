"""Lists under an organisation (results, routes, the methodical active), decisions on the
active, result imports, and what is assigned to an expert."""

from peewee import JOIN

from core import activation
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.imports import run_upload
from core.api.pagination import page_of, paginate
from core.models import Organization, StaffMember
from core.schemas.base import PageArgs
from core.schemas.imports import ImportFileSchema, ImportResultSchema
from plugins.diagnostics import importing, reads
from plugins.diagnostics.active import DecisionRefused, decide, loads
from plugins.diagnostics.api.schemas import (
    ActiveListArgs,
    ActiveSchema,
    DecisionSchema,
    ResultSchema,
    RouteListArgs,
    RouteSchema,
)
from plugins.diagnostics.api.views import results_view, routes_view
from plugins.diagnostics.catalogue import ACTIVE_STATUSES
from plugins.diagnostics.models import ActiveMember, Result, Route
from plugins.diagnostics.personal import NAME, record_read, staff_member
from plugins.diagnostics.settings import settings_for

blp = Blueprint(
    "diagnostics_lists",
    __name__,
    url_prefix="/api/v1/diagnostics",
    description="Диагностика: сводные списки, методический актив, импорт",
)


_under = reads.under


@blp.route("/organizations/<int:org_id>/results")
@activation.on_under("org_id")  # a region or hub lists where it runs
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ResultSchema))
def results_under(args, org_id):
    """Results of the staff under the organisation, a page at a time (personal data: the
    read is logged for each person on the page)."""
    org = scoping.organization(org_id, "diagnostics.results.read")
    page = reads.results_under(org, args)
    page["items"] = results_view(page["items"])
    return page


@blp.route("/organizations/<int:org_id>/routes")
@activation.on_under("org_id")  # a region or hub lists where it runs
@blp.arguments(RouteListArgs, location="query")
@blp.response(200, page_of(RouteSchema))
def routes_under(args, org_id):
    """Routes of the staff under the organisation with their progress, a page at a time."""
    org = scoping.organization(org_id, "diagnostics.results.read")
    query = _under(Route, org)
    if "status" in args:
        query = query.where(Route.status == args["status"])
    page = paginate(query.order_by(Organization.path, StaffMember.full_name, Route.id), args)
    record_read("diagnostics_routes", [r.staff_id for r in page["items"]])
    page["items"] = routes_view(page["items"])
    return page


def _with_load(members):
    current_loads = loads({m.staff_id for m in members})
    caps = {}
    for member in members:
        region = member.staff.organization.region_id
        if region not in caps:
            caps[region] = settings_for(region)["load_cap"]
        member.load, member.load_cap = current_loads.get(member.staff_id, 0), caps[region]
    return members


@blp.route("/organizations/<int:org_id>/active")
@activation.on_under("org_id")  # a region or hub lists where it runs
@blp.arguments(ActiveListArgs, location="query")
@blp.response(200, page_of(ActiveSchema))
def active_under(args, org_id):
    """The methodical active under the organisation: proposals and members, with load."""
    org = scoping.organization(org_id, "diagnostics.results.read")
    query = _under(ActiveMember, org, Result).join_from(
        ActiveMember, Result, JOIN.LEFT_OUTER, on=(ActiveMember.result == Result.id)
    )
    if "status" in args:
        query = query.where(ActiveMember.status == args["status"])
    order = (Organization.path, StaffMember.full_name, ActiveMember.area, ActiveMember.id)
    page = paginate(query.order_by(*order), args)
    page["items"] = _with_load(page["items"])
    return page


@blp.route("/active/<int:member_id>/decision", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, ActiveSchema)
def decide_active(body, member_id):
    """A methodist confirms or declines a proposal, or withdraws a member."""
    member = ActiveMember.get_or_none(ActiveMember.id == member_id)
    if member is None:
        raise ApiError(404)
    staff = staff_member(member.staff_id)
    scoping.organization(staff.organization_id, "diagnostics.active.decide")
    try:
        decide(member, body["decision"], body["reason"], current().user)
    except DecisionRefused as error:
        raise ApiError(
            409,
            f"Решение уже принято: {ACTIVE_STATUSES[str(error)]}.",
            code="invalid_transition",
            fields={"decision": ["Недопустимо для текущего состояния."]},
        ) from None
    return _with_load([member])[0]


@blp.route("/organizations/<int:org_id>/results/import", methods=["POST"])
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
def import_results(files, org_id):
    """Results from an xlsx/csv of a procedure, for the staff under the organisation;
    any bad row → nothing recorded, and every problem is listed."""
    org = scoping.organization(org_id, "diagnostics.results.import")
    user = current().user
    return run_upload(files["file"], lambda sheet: importing.run(sheet, org, user=user))


def _where_on(rows):
    """Rows of staff whose organisation has the block on (an expert may check results of
    several municipalities; one that switched the block off hides them)."""
    return [r for r in rows if activation.is_enabled(r.staff.organization, NAME)]


@blp.route("/assigned/results")
@activation.for_own_scopes
@blp.response(200, ResultSchema(many=True))
def assigned_results():
    """Results assigned to the caller (an expert) for checking."""
    results = _where_on(
        Result.select(Result, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(Result.expert == current().user)
        .order_by(Result.date, Result.id)
    )
    record_read("diagnostics_results", [r.staff_id for r in results])
    return results_view(results)


@blp.route("/assigned/routes")
@activation.for_own_scopes
@blp.response(200, RouteSchema(many=True))
def assigned_routes():
    """Routes the caller tutors."""
    routes = _where_on(
        Route.select(Route, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(Route.tutor == current().user)
        .order_by(Route.id)
    )
    record_read("diagnostics_routes", [r.staff_id for r in routes])
    return routes_view(routes)
