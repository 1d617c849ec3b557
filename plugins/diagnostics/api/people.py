"""A staff member's results, route and support: /api/v1/diagnostics/staff/{id}/...

Personal data: every read is written to the audit log (plugins.diagnostics.personal).
"""

from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error
from core.db import database
from core.models import User
from plugins.diagnostics import reads
from plugins.diagnostics import results as result_logic
from plugins.diagnostics import routes as route_logic
from plugins.diagnostics import support as support_logic
from plugins.diagnostics.api.schemas import (
    AcceptSchema,
    ExpertSchema,
    ResultSchema,
    ResultsPageSchema,
    RoutePatchSchema,
    RouteSchema,
    StepPatchSchema,
    StepSchema,
    SupportSchema,
)
from plugins.diagnostics.api.views import results_view, route_view
from plugins.diagnostics.models import Result, Step
from plugins.diagnostics.personal import ASSIGNED, FULL, OWN, access, record_read, staff_member
from plugins.diagnostics.results import ResultProblem, record

blp = Blueprint(
    "diagnostics_people",
    __name__,
    url_prefix="/api/v1/diagnostics",
    description="Диагностика: результаты, маршруты (ИОМ), подбор поддержки",
)


def _problem(error):
    if isinstance(error, route_logic.RouteProblem):
        return ApiError(error.status, code=error.code, fields={error.field: [str(error)]})
    return ApiError(error.status, fields={error.field: [str(error)]})


def _expert_user(user_id, staff, field):
    """An expert (by role) of the staff member's region, or None to clear."""
    if user_id is None:
        return None
    user = User.get_or_none(User.id == user_id, User.active == True)  # noqa: E712
    region_path = f"/{staff.organization.region_id}/"
    if user is None or not any(
        g.role == "expert" and g.scope is not None and g.scope.path.startswith(region_path)
        for g in user.grants
    ):
        raise field_error(field, "Эксперт не найден в регионе.")
    return user


# --- results ----------------------------------------------------------------


@blp.route("/staff/<int:staff_id>/results")
@blp.response(200, ResultsPageSchema)
def staff_results(staff_id):
    """The staff member's results, newest first (an expert: only those assigned to them)."""
    staff = staff_member(staff_id)
    results = reads.results_of(staff)
    return {"staff_id": staff.id, "full_name": staff.full_name, "results": results_view(results)}


@blp.route("/staff/<int:staff_id>/results", methods=["POST"])
@blp.arguments(ResultSchema)
@blp.response(201, ResultSchema)
def create_result(body, staff_id):
    """Record a result; the level follows from the region's thresholds for the procedure.

    A teacher may record only their own self-diagnosis.  The same staff member, procedure,
    date and area again updates that result."""
    staff = staff_member(staff_id)
    mode = access(staff, write=True)
    if mode == ASSIGNED or (mode == OWN and body["procedure"] != "self"):
        raise ApiError(403, "Педагог вносит только результаты самодиагностики.")
    try:
        result, _ = record(staff, body, user=current().user)
    except ResultProblem as error:
        raise _problem(error) from None
    return results_view([result])[0]


@blp.route("/results/<int:result_id>/expert", methods=["PUT"])
@blp.arguments(ExpertSchema)
@blp.response(200, ResultSchema)
def assign_expert(body, result_id):
    """Assign the result to an expert of the methodical community for checking (or clear)."""
    result = Result.get_or_none(Result.id == result_id)
    if result is None:
        raise ApiError(404)
    staff = staff_member(result.staff_id)
    if access(staff, write=True) != FULL or not current().can(
        "diagnostics.expert.assign", staff.organization.path
    ):
        raise ApiError(403)
    expert = _expert_user(body["user_id"], staff, "user_id")
    result_logic.assign_expert(result, expert, user=current().user)
    return results_view([result])[0]


# --- routes -----------------------------------------------------------------


def _route(route_id, *, write=False):
    return reads.route_for(route_id, write=write)


@blp.route("/staff/<int:staff_id>/routes")
@blp.response(200, RouteSchema(many=True))
def staff_routes(staff_id):
    """The staff member's routes, the current one first, with steps and re-diagnostics."""
    staff = staff_member(staff_id)
    routes = [route_view(r) for r in reads.routes_of(staff)]
    return routes


@blp.route("/staff/<int:staff_id>/routes", methods=["POST"])
@blp.arguments(RouteSchema)
@blp.response(201, RouteSchema)
def create_route(body, staff_id):
    """Start a route from the deficits of the latest results (or the deficits given)."""
    staff = staff_member(staff_id)
    if access(staff, write=True) == ASSIGNED:
        raise ApiError(403)
    tutor = _expert_user(body.get("tutor_id"), staff, "tutor_user_id")
    try:
        route = route_logic.create(
            staff,
            deficits=body.get("deficits"),
            tutor=tutor,
            note=body["note"],
            user=current().user,
        )
    except route_logic.RouteProblem as error:
        raise _problem(error) from None
    return route_view(route)


@blp.route("/routes/<int:route_id>")
@blp.response(200, RouteSchema)
def get_route(route_id):
    route, staff = _route(route_id)
    record_read("diagnostics_routes", [staff.id])
    return route_view(route)


@blp.route("/routes/<int:route_id>", methods=["PATCH"])
@blp.arguments(RoutePatchSchema)
@blp.response(200, RouteSchema)
def update_route(body, route_id):
    """Change the note or tutor, or cancel the route (status "cancelled")."""
    route, staff = _route(route_id, write=True)
    if access(staff, write=True) != FULL and set(body) - {"note"}:
        raise ApiError(403)
    try:
        if "tutor_user_id" in body:
            route.tutor = _expert_user(body["tutor_user_id"], staff, "tutor_user_id")
        if "note" in body:
            route.note = body["note"]
        with database.atomic():
            route.save()
        if body.get("status") == "cancelled":
            route_logic.cancel(route, user=current().user)
    except route_logic.RouteProblem as error:
        raise _problem(error) from None
    return route_view(route)


@blp.route("/routes/<int:route_id>/steps", methods=["POST"])
@blp.arguments(StepSchema)
@blp.response(201, StepSchema)
def add_step(body, route_id):
    """Add a step: a course from the region's catalogue, an internship, mentoring,
    self-education or an event, addressing some of the route's deficits."""
    route, _ = _route(route_id, write=True)
    try:
        return route_logic.add_step(route, body, user=current().user)
    except route_logic.RouteProblem as error:
        raise _problem(error) from None


@blp.route("/steps/<int:step_id>", methods=["PATCH"])
@blp.arguments(StepPatchSchema)
@blp.response(200, StepSchema)
def update_step(body, step_id):
    """Update a step (status, dates, evidence); a done step needs evidence of completion.
    The route is completed when every step not cancelled is done."""
    step = Step.get_or_none(Step.id == step_id)
    if step is None:
        raise ApiError(404)
    _route(step.route_id, write=True)
    try:
        return route_logic.update_step(step, body, user=current().user)
    except route_logic.RouteProblem as error:
        raise _problem(error) from None


# --- support matching -------------------------------------------------------


def _reviewer(staff):
    support_logic.check_reviewer(staff)


@blp.route("/staff/<int:staff_id>/support")
@blp.response(200, SupportSchema)
def support(staff_id):
    """Ranked mentors from the methodical active and courses for the teacher's deficits,
    each with the reasons it is proposed."""
    staff = staff_member(staff_id)
    if access(staff) != FULL:
        raise ApiError(403)
    result = support_logic.offer(staff)
    record_read("diagnostics_results", [staff.id])
    return result


@blp.route("/staff/<int:staff_id>/support", methods=["POST"])
@blp.arguments(AcceptSchema)
@blp.response(201, StepSchema)
def accept_support(body, staff_id):
    """A methodist accepts a proposal: a route step is created (the route too, if there is
    none), and a mentor proposal goes to the other blocks through the core's
    ``support_proposal_accepted`` hook (mentoring, where on, drafts a pair)."""
    staff = staff_member(staff_id)
    access(staff)
    _reviewer(staff)
    try:
        step = support_logic.accept(staff, body, user=current().user)
    except route_logic.RouteProblem as error:
        raise _problem(error) from None
    return step
