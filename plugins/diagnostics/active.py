"""The methodical active: staff with a high level proposed, methodists confirm or decline;
the confirmed are the pool of experts and mentors, each with a current load."""

from peewee import fn

from core import audit
from core.db import database
from core.models import utcnow
from plugins.diagnostics.activities import sync_member
from plugins.diagnostics.models import ActiveMember, Route, Step

OPEN_STEPS = ("planned", "in_progress")

# decision → (states it applies to, the state it leads to)
DECISIONS = {
    "confirm": (("proposed", "declined"), "confirmed"),
    "decline": (("proposed",), "declined"),
    "withdraw": (("confirmed",), "withdrawn"),
}


def propose_from(result) -> ActiveMember | None:
    """A high level proposes the person for the active in that area, unless a methodist
    already decided after this result's date (a newer high result proposes again)."""
    if result.level != "high":
        return None
    member = ActiveMember.get_or_none(
        ActiveMember.staff == result.staff_id, ActiveMember.area == result.area
    )
    if member is None:
        return ActiveMember.create(staff=result.staff_id, area=result.area, result=result)
    if member.status in ("proposed", "confirmed"):
        return member
    decided = member.decided_at.date() if member.decided_at else None
    if decided is not None and result.date <= decided:
        return member
    member.status, member.result = "proposed", result
    member.proposed_at, member.decided_by, member.decided_at = utcnow(), None, None
    member.save()
    return member


class DecisionRefused(ValueError):
    pass


def decide(member: ActiveMember, decision: str, reason: str, user) -> ActiveMember:
    allowed, target = DECISIONS[decision]
    if member.status not in allowed:
        raise DecisionRefused(member.status)
    with database.atomic():
        before = member.status
        member.status, member.reason = target, reason
        member.decided_by, member.decided_at = user, utcnow()
        member.save()
        audit.record(
            f"active_{decision}",
            user=user,
            object_type="diagnostics_active",
            object_id=member.id,
            scope_path=member.staff.organization.path,
            before={"status": before},
            after={"status": target},
        )
        sync_member(member)  # a confirmed member's activity record
    return member


def loads(staff_ids) -> dict[int, int]:
    """Open route steps each staff member supports, in one query."""
    if not staff_ids:
        return {}
    rows = (
        Step.select(Step.supporter, fn.COUNT(Step.id))
        .join(Route)
        .where(
            Step.supporter.in_(list(staff_ids)),
            Step.status.in_(OPEN_STEPS),
            Route.status == "active",
        )
        .group_by(Step.supporter)
        .tuples()
    )
    return dict(rows)
