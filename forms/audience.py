"""Who a campaign asks: the active organisations (or their staff) of its audience.

Audience = organisations under the campaign's scope, of the chosen kinds,
holding one of the chosen statuses during the period (if any are chosen),
active, and where the form's programme block is switched on.
"""

from typing import NamedTuple

from core import activation
from core.db import database
from core.models import Organization, OrganizationStatus, StaffMember
from core.models.organization import in_subtree


class Member(NamedTuple):
    """An audience organisation: plain values, cheap at 45,000 rows."""

    id: int
    path: str
    name: str
    kind: str


def _enabled_filter(plugin):
    """A function org → bool for "the block is on here" (``core.activation``)."""
    if plugin is None:
        return lambda org: True
    on = activation.current_map()
    return lambda org: on.is_on(org.path, plugin)


def organizations(campaign, within_path=None) -> list[Member]:
    """The audience organisations, optionally cut to a subtree ``within_path``."""
    scope_path = campaign.scope.path
    # Only the columns callers use: model rows are the cost at 45,000 organisations.
    query = Organization.select(
        Organization.id, Organization.path, Organization.name, Organization.kind
    ).where(
        in_subtree(Organization.path, scope_path),
        Organization.kind.in_(campaign.audience_kinds),
        Organization.active == True,  # noqa: E712  (peewee builds SQL from ==)
    )
    if within_path:
        query = query.where(in_subtree(Organization.path, within_path))
    if campaign.audience_statuses:
        holders = OrganizationStatus.select(OrganizationStatus.organization).where(
            OrganizationStatus.status.in_(campaign.audience_statuses),
            OrganizationStatus.start_date <= campaign.period_end,
            OrganizationStatus.end_date.is_null()
            | (OrganizationStatus.end_date >= campaign.period_start),
        )
        query = query.where(Organization.id.in_(holders))
    enabled = _enabled_filter(campaign.form.plugin)
    # The driver's rows as they come: plain ids and texts need none of peewee's per-cell
    # conversions, which were most of the cost at 45,000 organisations.
    rows = map(Member._make, database.execute(query.order_by(Organization.path)).fetchall())
    return [org for org in rows if enabled(org)]


class Subject(NamedTuple):
    """Who answers: an audience organisation, or a staff member of one (staff-level forms)."""

    key: str  # the submissions' subject key: "o<organisation id>" or "s<staff id>"
    organization: Member
    name: str


def subjects(campaign, within_path=None) -> list[Subject]:
    """The campaign's audience as answering subjects, optionally cut to a subtree.

    The one definition of "who is asked" behind both the campaign progress and the
    completeness indicator: a submission counts only when its subject is here."""
    orgs = organizations(campaign, within_path=within_path)
    if campaign.form.level != "staff":
        return [Subject(f"o{o.id}", o, o.name) for o in orgs]
    by_id = {o.id: o for o in orgs}
    return [
        Subject(f"s{s.id}", by_id[s.organization_id], s.full_name) for s in staff(campaign, orgs)
    ]


def includes(campaign, org) -> bool:
    """``org`` (an Organization row) is in the campaign's audience."""
    if not in_scope(org.path, campaign.scope.path) or org.kind not in campaign.audience_kinds:
        return False
    if campaign.audience_statuses:  # statuses in the period: ask the database
        return any(o.id == org.id for o in organizations(campaign, within_path=org.path))
    # Everything else is on the row itself (no query unless the form belongs to a block).
    return org.active and _enabled_filter(campaign.form.plugin)(org)


def in_scope(path, scope_path) -> bool:
    return path.startswith(scope_path)


def _staff_filter(campaign, query):
    """Narrow by the campaign's age and experience limits, counted in the period's first year."""
    limits = campaign.audience_staff or {}
    year = campaign.period_start.year
    if limits.get("under_age"):
        query = query.where(StaffMember.birth_year > year - limits["under_age"])
    if limits.get("experience_below"):
        query = query.where(
            StaffMember.teaching_since.is_null(False),
            StaffMember.teaching_since > year - limits["experience_below"],
        )
    return query


def staff(campaign, orgs) -> list[StaffMember]:
    """Active staff of the audience organisations (for staff-level forms)."""
    ids = [o.id for o in orgs]
    if not ids:
        return []
    query = StaffMember.select().where(
        StaffMember.organization.in_(ids),
        StaffMember.active == True,  # noqa: E712
    )
    return list(_staff_filter(campaign, query).order_by(StaffMember.id))


def includes_staff(campaign, member) -> bool:
    """An active staff member within the campaign's age and experience limits."""
    query = StaffMember.select().where(
        StaffMember.id == member.id,
        StaffMember.active == True,  # noqa: E712
    )
    return _staff_filter(campaign, query).exists()
