"""Support proposals for a teacher and accepting one: what the API and the pages both call.

``offer`` ranks mentors and courses for the teacher's deficits (plugins.diagnostics.matching)
with the reasons in Russian; ``accept`` turns one into a route step (creating the route if
there is none) and sends a mentor to the other blocks through the core's
``support_proposal_accepted`` event.
"""

from core import events
from core.api.auth import current
from core.api.errors import ApiError
from core.db import database
from plugins.diagnostics import matching
from plugins.diagnostics import routes as route_logic
from plugins.diagnostics.catalogue import AREAS


def check_reviewer(staff) -> None:
    """Accepting support is a methodist's (reviewer's) decision."""
    if not current().can("diagnostics.support.accept", staff.organization.path):
        raise ApiError(403)


def offer(staff) -> dict:
    deficits = matching.teacher_deficits(staff)
    ranked, at_cap = matching.mentors(staff, deficits)

    def mentor_row(rank, mentor):
        return {
            "rank": rank,
            "staff_id": mentor.staff.id,
            "full_name": mentor.staff.full_name,
            "organization": mentor.staff.organization.name,
            "position": mentor.staff.position,
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


def accept(staff, choice: dict, *, user=None):
    """``choice``: {"kind": "mentor" | "course", "staff_id" | "course_id", "planned_start",
    "planned_end"}.  Returns the new step; raises ``RouteProblem`` naming the field."""
    proposals = offer(staff)
    if choice["kind"] == "mentor":
        chosen = next(
            (m for m in proposals["mentors"] if m["staff_id"] == choice["staff_id"]), None
        )
        if chosen is None:
            raise route_logic.RouteProblem(
                "staff_id", "Этого кандидата нет среди предложенных педагогу."
            )
    else:
        chosen = next(
            (c for c in proposals["courses"] if c["course_id"] == choice["course_id"]), None
        )
        if chosen is None:
            raise route_logic.RouteProblem(
                "course_id", "Эта программа не закрывает дефициты педагога."
            )
    deficits = [d.id for d in proposals["deficits"]]
    with events.collecting(), database.atomic():
        route = route_logic.current_route(staff.id)
        if route is None or route.status != "active":
            route = route_logic.create(staff, deficits=deficits, user=user)
        if choice["kind"] == "mentor":
            strong = set(chosen["areas"])
            values = {
                "kind": "mentoring",
                "title": "Наставничество: " + chosen["full_name"],
                "supporter_id": chosen["staff_id"],
                "deficits": [d.id for d in proposals["deficits"] if d.area in strong],
            }
        else:
            values = {
                "kind": "course",
                "course_id": chosen["course_id"],
                "deficits": chosen["covers"],
            }
        values["deficits"] = [d for d in values["deficits"] if d in route.deficits]
        values.update(
            planned_start=choice.get("planned_start"), planned_end=choice.get("planned_end")
        )
        step = route_logic.add_step(route, values, user=user)
        if choice["kind"] == "mentor":
            # Announced after commit: mentoring (where it is on) drafts the pair.
            areas = ", ".join(AREAS[a].lower() for a in chosen["areas"])
            events.after_commit(
                "support_proposal_accepted",
                staff=staff,
                supporter=step.supporter,
                kind="mentoring",
                reason=f"Дефициты по диагностике: {areas}",
                user=user,
            )
    return step
