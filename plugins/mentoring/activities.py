"""The mentoring pairs of a school as activities of both people (``core.activities``):
an active pair is mentoring for the mentor (role mentor) and the mentee (role mentee), an
ended one stays with its end date and the result "completed", a terminated pair or one
gone from the register is withdrawn (marked cancelled, never deleted)."""

from core import activities
from plugins.mentoring.models import MentorPair

BLOCK = "mentoring"
SOURCE = "pair"
ACTIVE, ENDED = "действует", "завершена"
PROPOSED = "предложена"
# When one register lists the same two people twice (two subjects), the liveliest row wins.
PRIORITY = {ACTIVE: 2, ENDED: 1}
OTHER_SCHOOL = "школа – школа"


def _key(pair) -> str:
    return f"{pair.organization_id}:{pair.mentor_id}:{pair.mentee_id}"


def sync_organization(organization_id) -> None:
    """Bring the activities of the organisation's pairs in line with its current register
    (call inside the transaction that changed the register)."""
    best = {}
    for pair in MentorPair.select().where(
        MentorPair.organization == organization_id, MentorPair.status != PROPOSED
    ):
        key = _key(pair)
        if key not in best or PRIORITY.get(pair.status, 0) > PRIORITY.get(best[key].status, 0):
            best[key] = pair
    recorded = activities.sources(BLOCK, SOURCE, prefix=f"{organization_id}:")
    for key in set(recorded) - set(best):
        activities.withdraw(BLOCK, (SOURCE, key))
    for key, pair in best.items():
        if pair.status not in PRIORITY:
            activities.withdraw(BLOCK, (SOURCE, key))
            continue
        title = f"Наставничество ({pair.form})" + (f", {pair.subject}" if pair.subject else "")
        for person, role in ((pair.mentor_id, "mentor"), (pair.mentee_id, "mentee")):
            activities.record(
                person,
                block=BLOCK,
                source=(SOURCE, key),
                kind="mentoring",
                role=role,
                # A mentor from another school works at the municipality's level.
                level="municipal" if pair.form == OTHER_SCHOOL else "school",
                title=title,
                date=pair.start,
                end=pair.end,
                result="completed" if pair.status == ENDED else "in_progress",
            )
