"""The current register of pairs, kept from the last accepted pairs register of each school.

Indicators and exports read this table, not every historical submission.
"""

import datetime as dt

from core import clock
from core.db import database
from core.models import Organization
from plugins.mentoring.activities import sync_organization
from plugins.mentoring.models import MentorPair

ACTIVE = "действует"
PROPOSED = "предложена"  # drafted from an accepted proposal; the school confirms it


def sync_from(submission, user=None) -> int:
    """Replace the organisation's pairs with those of an accepted register submission
    (the pairs form's ``on_accepted``: inside the accepting transaction)."""
    rows = submission.data.get("pairs") or []
    confirmed = {(row["mentor"], row["mentee"]) for row in rows}
    with database.atomic():
        for proposal in MentorPair.select().where(
            MentorPair.organization == submission.organization_id, MentorPair.status == PROPOSED
        ):
            if (proposal.mentor_id, proposal.mentee_id) in confirmed:
                proposal.delete_instance()  # confirmed: the register's row replaces it
        MentorPair.delete().where(
            MentorPair.organization == submission.organization_id, MentorPair.status != PROPOSED
        ).execute()
        for row in rows:
            MentorPair.create(
                organization=submission.organization_id,
                mentor=row["mentor"],
                mentee=row["mentee"],
                form=row["form"],
                subject=row.get("subject", ""),
                start=dt.date.fromisoformat(row["start"]),
                end=dt.date.fromisoformat(row["end"]) if row.get("end") else None,
                goal=row.get("goal", ""),
                status=row["status"],
                submission_id=submission.id,
            )
        sync_organization(submission.organization_id)  # the people's activity records
    return len(rows)


def pairs_in(paths, *, active_only=False):
    """Pairs of organisations under any of ``paths``."""
    from core.api.scoping import in_scopes

    query = MentorPair.select(MentorPair, Organization).join(
        Organization, on=(MentorPair.organization == Organization.id)
    )
    query = query.where(in_scopes(Organization.path, paths))
    if active_only:
        query = query.where(MentorPair.status == ACTIVE)
    return query


def propose(mentee, mentor, reason) -> MentorPair:
    """A pair in draft for the school to confirm in its next pairs register."""
    existing = MentorPair.get_or_none(
        MentorPair.mentee == mentee, MentorPair.mentor == mentor, MentorPair.status == PROPOSED
    )
    if existing is not None:
        return existing
    same_school = mentor.organization_id == mentee.organization_id
    return MentorPair.create(
        organization=mentee.organization_id,
        mentor=mentor,
        mentee=mentee,
        form="учитель – молодой учитель" if same_school else "школа – школа",
        start=clock.today(mentee.organization),
        goal=reason,
        status=PROPOSED,
    )
