"""A staff member's results, route and support: /api/v1/diagnostics/staff/{id}/...

Personal data: every read is written to the audit log (plugins.diagnostics.personal).
"""

from core import audit
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error
from core.db import database
from core.models import User
from core.plugin_access import fire
from plugins.diagnostics import matching
from plugins.diagnostics import routes as route_logic
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
from plugins.diagnostics.catalogue import AREAS
from plugins.diagnostics.models import Result, Route, Step
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
    mode = access(staff)
    query = Result.select().where(Result.staff == staff)
    if mode == ASSIGNED:
        query = query.where(Result.expert == current().user)
    results = list(query.order_by(Result.date.desc(), Result.id.desc()))
    record_read("diagnostics_results", [staff.id])
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
    with database.atomic():
        result.expert = _expert_user(body["user_id"], staff, "user_id")
        result.save()
        audit.record(
            "assign",
            user=current().user,
            object_type="diagnostics_result",
            object_id=result.id,
            scope_path=staff.organization.path,
            after={"expert_id": result.expert_id},
        )
    return results_view([result])[0]


# --- routes -----------------------------------------------------------------


def _route(route_id, *, write=False):
    route = Route.get_or_none(Route.id == route_id)
    if route is None:
        raise ApiError(404)
    staff = staff_member(route.staff_id)
    mode = access(staff, write=write)
    if mode == ASSIGNED and route.tutor_id != current().user.id:
        raise ApiError(403)
    return route, staff


@blp.route("/staff/<int:staff_id>/routes")
@blp.response(200, RouteSchema(many=True))
def staff_routes(staff_id):
    """The staff member's routes, the current one first, with steps and re-diagnostics."""
    staff = staff_member(staff_id)
    mode = access(staff)
    query = Route.select().where(Route.staff == staff)
    if mode == ASSIGNED:
        query = query.where(Route.tutor == current().user)
    routes = [route_view(r) for r in query.order_by(Route.id.desc())]
    record_read("diagnostics_routes", [staff.id])
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


def _support(staff):
    deficits = matching.teacher_deficits(staff)
    ranked, at_cap = matching.mentors(staff, deficits)

    def mentor_row(rank, mentor):
        return {
            "rank": rank,
            "staff_id": mentor.staff.id,
            "full_name": mentor.staff.full_name,
            "organization": mentor.staff.organization.name,
            "areas": [area for area, _, _ in mentor.areas],
            "nearness": mentor.nearness,
            "load": mentor.load,
            "load_cap": mentor.cap,
            "reasons": mentor.reasons(),
        }

    return {
        "staff_id": staff.id,
        "deficits": deficits,
        "mentors": [mentor_row(i, m) for i, m in enumerate(ranked, start=1)],
        "at_cap": [mentor_row(0, m) for m in at_cap],
        "courses": [
            {
                "rank": i,
                "course_id": course.id,
                "title": course.title,
                "provider": course.provider,
                "hours": course.hours,
                "federal_register": course.federal_register,
                "covers": [d.id for d in covers],
                "reasons": matching.course_reasons(course, covers),
            }
            for i, (course, covers) in enumerate(matching.courses(staff, deficits), start=1)
        ],
    }


def _reviewer(staff):
    if not current().can("diagnostics.support.accept", staff.organization.path):
        raise ApiError(403)


@blp.route("/staff/<int:staff_id>/support")
@blp.response(200, SupportSchema)
def support(staff_id):
    """Ranked mentors from the methodical active and courses for the teacher's deficits,
    each with the reasons it is proposed."""
    staff = staff_member(staff_id)
    if access(staff) != FULL:
        raise ApiError(403)
    result = _support(staff)
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
    offer = _support(staff)
    user = current().user
    if body["kind"] == "mentor":
        chosen = next((m for m in offer["mentors"] if m["staff_id"] == body["staff_id"]), None)
        if chosen is None:
            raise field_error("staff_id", "Этого кандидата нет среди предложенных педагогу.")
    else:
        chosen = next((c for c in offer["courses"] if c["course_id"] == body["course_id"]), None)
        if chosen is None:
            raise field_error("course_id", "Эта программа не закрывает дефициты педагога.")
    deficits = [d.id for d in offer["deficits"]]
    try:
        with database.atomic():
            route = route_logic.current_route(staff.id)
            if route is None or route.status != "active":
                route = route_logic.create(staff, deficits=deficits, user=user)
            if body["kind"] == "mentor":
                strong = set(chosen["areas"])
                values = {
                    "kind": "mentoring",
                    "title": "Наставничество: " + chosen["full_name"],
                    "supporter_id": chosen["staff_id"],
                    "deficits": [d.id for d in offer["deficits"] if d.area in strong],
                }
            else:
                values = {
                    "kind": "course",
                    "course_id": chosen["course_id"],
                    "deficits": chosen["covers"],
                }
            values["deficits"] = [d for d in values["deficits"] if d in route.deficits]
            values.update(planned_start=body["planned_start"], planned_end=body["planned_end"])
            step = route_logic.add_step(route, values, user=user)
    except route_logic.RouteProblem as error:
        raise _problem(error) from None
    if body["kind"] == "mentor":
        areas = ", ".join(AREAS[a].lower() for a in chosen["areas"])
        fire(
            "support_proposal_accepted",
            staff=staff,
            supporter=step.supporter,
            kind="mentoring",
            reason=f"Дефициты по диагностике: {areas}",
            user=user,
        )
    return step
