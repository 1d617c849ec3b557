"""Individual educational routes (ИОМ): built from deficits, made of steps, completed when
every step is done, followed by re-diagnostics in the route's areas."""

from peewee import IntegrityError

from core import audit, clock
from core.db import database
from core.models import StaffMember, utcnow
from plugins.diagnostics.activities import sync_step
from plugins.diagnostics.models import Course, Deficit, Result, Route, Step
from plugins.diagnostics.settings import deficits_of

STEP_TITLES = {"mentoring": "Наставничество", "internship": "Стажировка"}
ROUTE_EXISTS = "У педагога уже есть действующий маршрут."
SUPPORTED_KINDS = ("mentoring", "internship")  # steps with a person supporting the teacher


class RouteProblem(ValueError):
    """(field, Russian message, HTTP status)"""

    def __init__(self, field, message, status=422, code=None):
        super().__init__(message)
        self.field, self.status, self.code = field, status, code


def latest_results(staff_id) -> dict[str, Result]:
    """The latest result of each area (any procedure)."""
    latest = {}
    for result in Result.select().where(Result.staff == staff_id).order_by(Result.date, Result.id):
        latest[result.area] = result
    return latest


def open_deficits(staff_id) -> list[int]:
    """Deficits found by the latest result in each area: what a route has to address."""
    ids = []
    for result in latest_results(staff_id).values():
        ids.extend(d for d in result.deficits if d not in ids)
    return ids


def current_route(staff_id) -> Route | None:
    return (
        Route.select()
        .where(Route.staff == staff_id, Route.status != "cancelled")
        .order_by(Route.id.desc())
        .first()
    )


def _check_region_deficits(region_id, ids, field="deficits"):
    deficits_of(region_id)
    found = {
        d.id
        for d in Deficit.select(Deficit.id).where(
            Deficit.region == region_id, Deficit.id.in_(ids or [0])
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise RouteProblem(field, f"Дефицит {missing[0]} не найден в каталоге региона.")


def route_snapshot(route: Route) -> dict:
    return {
        "staff_id": route.staff_id,
        "status": route.status,
        "deficits": list(route.deficits),
        "tutor_id": route.tutor_id,
    }


def create(staff: StaffMember, *, deficits=None, tutor=None, note="", user=None) -> Route:
    existing = current_route(staff.id)
    if existing is not None and existing.status == "active":
        raise RouteProblem("staff_id", ROUTE_EXISTS, 409, "route_exists")
    if deficits:
        deficits = list(dict.fromkeys(deficits))
        _check_region_deficits(staff.organization.region_id, deficits)
    else:
        deficits = open_deficits(staff.id)
    if not deficits:
        raise RouteProblem(
            "deficits",
            "У педагога нет выявленных дефицитов: маршрут строится по результатам диагностики.",
        )
    try:
        with database.atomic():
            route = Route.create(
                staff=staff, deficits=deficits, tutor=tutor, note=note, created_by=user
            )
            audit.record(
                "create",
                user=user,
                object_type="diagnostics_route",
                object_id=route.id,
                scope_path=staff.organization.path,
                after=route_snapshot(route),
            )
    except IntegrityError:  # another request created one between the check and the insert
        raise RouteProblem("staff_id", ROUTE_EXISTS, 409, "route_exists") from None
    return route


def _supporter(route, supporter_id):
    supporter = StaffMember.get_or_none(StaffMember.id == supporter_id)
    if (
        supporter is None
        or not supporter.active
        or supporter.organization.region_id != route.staff.organization.region_id
    ):
        raise RouteProblem("supporter_id", "Работник не найден в регионе.")
    if supporter.id == route.staff_id:
        raise RouteProblem("supporter_id", "Педагог не может сопровождать сам себя.")
    return supporter


def _course(route, course_id):
    course = Course.get_or_none(Course.id == course_id)
    if (
        course is None
        or not course.active
        or course.region_id != route.staff.organization.region_id
    ):
        raise RouteProblem("course_id", "Программа не найдена в каталоге курсов региона.")
    return course


def _check_dates(start, end):
    if start and end and end < start:
        raise RouteProblem("planned_end", "Дата окончания раньше даты начала.")


def _check_done(status, evidence):
    if status == "done" and not (evidence or "").strip():
        raise RouteProblem("evidence", "Для выполненного шага укажите подтверждение выполнения.")


def add_step(route: Route, values: dict, *, user=None) -> Step:
    if route.status == "cancelled":
        raise RouteProblem("route_id", "Маршрут отменён.", 409, "route_cancelled")
    kind = values["kind"]
    course = supporter = None
    if kind == "course":
        if not values.get("course_id"):
            raise RouteProblem("course_id", "Для курсов выберите программу из каталога.")
        course = _course(route, values["course_id"])
    elif values.get("course_id"):
        raise RouteProblem("course_id", "Программа указывается только для шага «курсы».")
    if values.get("supporter_id"):
        if kind not in SUPPORTED_KINDS:
            raise RouteProblem(
                "supporter_id", "Сопровождающий указывается для наставничества и стажировки."
            )
        supporter = _supporter(route, values["supporter_id"])
    deficits = list(dict.fromkeys(values.get("deficits") or []))
    stray = [d for d in deficits if d not in route.deficits]
    if stray:
        raise RouteProblem("deficits", f"Дефицит {stray[0]} не входит в маршрут.")
    title = (values.get("title") or "").strip() or (course.title if course else "")
    if not title:
        raise RouteProblem("title", "Укажите содержание шага.")
    _check_dates(values.get("planned_start"), values.get("planned_end"))
    status = values.get("status", "planned")
    _check_done(status, values.get("evidence"))
    with database.atomic():
        step = Step.create(
            route=route,
            kind=kind,
            title=title,
            course=course,
            supporter=supporter,
            deficits=deficits,
            planned_start=values.get("planned_start"),
            planned_end=values.get("planned_end"),
            status=status,
            evidence=values.get("evidence") or "",
            completed_on=(values.get("completed_on") or clock.today(route.staff.organization))
            if status == "done"
            else None,
        )
        audit.record(
            "create",
            user=user,
            object_type="diagnostics_step",
            object_id=step.id,
            scope_path=route.staff.organization.path,
            after={"route_id": route.id, "kind": kind, "status": status},
        )
        refresh_status(route, user)
        sync_step(step)  # a done course is the person's activity
    return step


def update_step(step: Step, changes: dict, *, user=None) -> Step:
    route = step.route
    if route.status == "cancelled":
        raise RouteProblem("route_id", "Маршрут отменён.", 409, "route_cancelled")
    before = {
        "status": step.status,
        "planned_start": step.planned_start,
        "planned_end": step.planned_end,
    }
    status = changes.get("status", step.status)
    evidence = changes.get("evidence", step.evidence)
    _check_dates(
        changes.get("planned_start", step.planned_start),
        changes.get("planned_end", step.planned_end),
    )
    _check_done(status, evidence)
    for key in ("title", "planned_start", "planned_end", "evidence"):
        if key in changes:
            setattr(step, key, changes[key])
    if status == "done" and step.status != "done":
        today = clock.today(step.route.staff.organization)
        step.completed_on = changes.get("completed_on") or today
    elif status == "done" and changes.get("completed_on"):
        step.completed_on = changes["completed_on"]
    elif status != "done":
        step.completed_on = None
    step.status = status
    with database.atomic():
        step.save()
        after = {
            "status": step.status,
            "planned_start": step.planned_start,
            "planned_end": step.planned_end,
        }
        old, new = audit.changes(
            {k: str(v) for k, v in before.items()}, {k: str(v) for k, v in after.items()}
        )
        audit.record(
            "update",
            user=user,
            object_type="diagnostics_step",
            object_id=step.id,
            scope_path=route.staff.organization.path,
            before=old,
            after=new,
        )
        refresh_status(route, user)
        sync_step(step)
    return step


def refresh_status(route: Route, user=None) -> None:
    """Completed when every step not cancelled is done; active again if one is reopened."""
    steps = [s for s in Step.select().where(Step.route == route) if s.status != "cancelled"]
    complete = bool(steps) and all(s.status == "done" for s in steps)
    target = "completed" if complete else "active"
    if route.status == target or route.status == "cancelled":
        return
    before = route.status
    route.status = target
    route.completed_at = utcnow() if complete else None
    route.save()
    audit.record(
        "update",
        user=user,
        object_type="diagnostics_route",
        object_id=route.id,
        scope_path=route.staff.organization.path,
        before={"status": before},
        after={"status": target},
    )


def cancel(route: Route, *, user=None) -> Route:
    if route.status != "active":
        raise RouteProblem(
            "status", "Отменить можно только действующий маршрут.", 409, "invalid_transition"
        )
    with database.atomic():
        route.status = "cancelled"
        route.save()
        audit.record(
            "update",
            user=user,
            object_type="diagnostics_route",
            object_id=route.id,
            scope_path=route.staff.organization.path,
            before={"status": "active"},
            after={"status": "cancelled"},
        )
    return route


def progress(steps) -> dict:
    counted = [s for s in steps if s.status != "cancelled"]
    done = sum(1 for s in counted if s.status == "done")
    return {
        "steps": len(counted),
        "done": done,
        "percent": round(100 * done / len(counted), 1) if counted else 0.0,
    }


def rediagnostics(route: Route) -> list[dict]:
    """For each area of the route: the result before it and the first one after completion."""
    areas = list(
        dict.fromkeys(
            a
            for (a,) in Deficit.select(Deficit.area)
            .where(Deficit.id.in_(route.deficits or [0]))
            .tuples()
        )
    )
    started = route.created_at.date()
    finished = route.completed_at.date() if route.completed_at else None
    rows = []
    for area in areas:
        results = list(
            Result.select()
            .where(Result.staff == route.staff_id, Result.area == area)
            .order_by(Result.date, Result.id)
        )
        # Recorded before the route / after its completion (dates alone tie on one day).
        before = [r for r in results if r.date <= started and r.created_at <= route.created_at]
        after = [
            r
            for r in results
            if finished and r.date >= finished and r.created_at >= route.completed_at
        ]
        first_after = after[0] if after else None
        base = before[-1] if before else None
        rows.append(
            {
                "area": area,
                "before": base,
                "after": first_after,
                "improved": None
                if base is None or first_after is None
                else first_after.score > base.score,
                "due": finished is not None and first_after is None,
            }
        )
    return rows


def attach_support(staff, supporter, kind, reason, user=None) -> Step | None:
    """Add an accepted mentor or internship to the current route, once."""
    route = current_route(staff.id)
    if route is None or route.status != "active":
        return None
    already = Step.select().where(
        Step.route == route,
        Step.supporter == supporter,
        Step.kind == kind,
        Step.status.in_(("planned", "in_progress")),
    )
    if already.exists():
        return None
    title = f"{STEP_TITLES[kind]}: {supporter.full_name}"
    return add_step(route, {"kind": kind, "title": title, "supporter_id": supporter.id}, user=user)
