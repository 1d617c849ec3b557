"""What diagnostics contributes to a person's activity record (``core.activities``): a
course step of a route once done (with the course's hours) and membership of the
methodical active once confirmed.  Called inside the transaction that changes the step or
the decision, so the record follows the block's data: a step reopened or cancelled and a
member withdrawn are withdrawn (marked cancelled, kept)."""

from core import activities
from plugins.diagnostics.catalogue import AREAS

BLOCK = "diagnostics"


def sync_step(step) -> None:
    source = ("step", step.id)
    if step.kind != "course" or step.status != "done" or step.course_id is None:
        activities.withdraw(BLOCK, source)
        return
    course = step.course
    activities.record(
        step.route.staff_id,
        block=BLOCK,
        source=source,
        kind="course",
        role="participant",
        # Courses of the region's catalogue; one in the federal register (ФР ДПП) counts as
        # federal, which attestation commissions look for.
        level="federal" if course.federal_register else "regional",
        title=f"{course.title} ({course.provider})" if course.provider else course.title,
        date=step.completed_on,
        hours=course.hours,
        result="completed",
        evidence=step.evidence,
    )


def sync_member(member) -> None:
    source = ("active", member.id)
    if member.status != "confirmed":
        activities.withdraw(BLOCK, source)
        return
    activities.record(
        member.staff_id,
        block=BLOCK,
        source=source,
        kind="methodical_active",
        role="member",
        level="municipal",  # a municipality's methodists confirm its active
        title=f"Методический актив: {AREAS.get(member.area, member.area).lower()}",
        date=member.decided_at.date(),
    )
