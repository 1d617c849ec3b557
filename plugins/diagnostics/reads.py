"""Reading results and routes with the access rule applied and each read logged (152-FZ):
the one path the API and the pages both take to show a person's diagnostics."""

from core import activation
from core.api.auth import current
from core.api.errors import ApiError
from core.api.pagination import paginate
from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from plugins.diagnostics.models import Result, Route
from plugins.diagnostics.personal import ASSIGNED, NAME, access, record_read, staff_member


def under(model, org, *extra):
    """``model`` rows of the staff under ``org`` where the block is on (a region lists its
    municipalities that run it, not one that switched it off), each with its person and
    organisation loaded in the same query (the lists show names)."""
    return (
        model.select(model, StaffMember, Organization, *extra)
        .join(StaffMember, on=(model.staff == StaffMember.id))
        .join(Organization)
        .where(in_scopes(Organization.path, activation.where_on(org, NAME)))
    )


def results_of(staff) -> list[Result]:
    """The staff member's results, newest first (an expert: only those assigned to them)."""
    query = Result.select().where(Result.staff == staff)
    if access(staff) == ASSIGNED:
        query = query.where(Result.expert == current().user)
    results = list(query.order_by(Result.date.desc(), Result.id.desc()))
    record_read("diagnostics_results", [staff.id])
    return results


def routes_of(staff) -> list[Route]:
    """The staff member's routes, newest first (an expert: only those they tutor)."""
    query = Route.select().where(Route.staff == staff)
    if access(staff) == ASSIGNED:
        query = query.where(Route.tutor == current().user)
    routes = list(query.order_by(Route.id.desc()))
    record_read("diagnostics_routes", [staff.id])
    return routes


def route_for(route_id, *, write=False) -> tuple[Route, StaffMember]:
    """The route and its person, if the caller may see (or change) it."""
    route = Route.get_or_none(Route.id == route_id)
    if route is None:
        raise ApiError(404)
    staff = staff_member(route.staff_id)
    mode = access(staff, write=write)
    if mode == ASSIGNED and route.tutor_id != current().user.id:
        raise ApiError(403)
    return route, staff


def results_under(org, page_args) -> dict:
    """A page of results of the staff under ``org``; the read is logged for each person."""
    query = under(Result, org).order_by(
        Organization.path, StaffMember.full_name, Result.staff, Result.date, Result.id
    )
    page = paginate(query, page_args)
    record_read("diagnostics_results", [r.staff_id for r in page["items"]])
    return page


def assigned_results() -> list[Result]:
    """Results assigned to the caller (an expert) for checking."""
    results = list(
        Result.select(Result, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(Result.expert == current().user)
        .order_by(Result.date, Result.id)
    )
    record_read("diagnostics_results", [r.staff_id for r in results])
    return results


def assigned_routes() -> list[Route]:
    """Routes the caller tutors."""
    routes = list(
        Route.select(Route, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(Route.tutor == current().user)
        .order_by(Route.id)
    )
    record_read("diagnostics_routes", [r.staff_id for r in routes])
    return routes
