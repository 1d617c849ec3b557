"""What the block's pages and the API read: where the block serves a person, a register of
pairs with the people's names and positions, young teachers without a mentor, mentor-school
links.  Plain queries; the caller has already applied the scope rule."""

from types import SimpleNamespace

from core import clock
from core.access import ROOT
from core.activation import is_enabled
from core.models import Organization, PluginActivation, StaffMember
from core.models.organization import in_subtree
from plugins.mentoring.indicators import young_beginners
from plugins.mentoring.models import MentorPair, MentorSchoolLink
from plugins.mentoring.register import ACTIVE, pairs_in

NAME = "mentoring"


def _org_at(path) -> Organization:
    return Organization.get_by_id(int(path.strip("/").split("/")[-1]))


def served_places(principal, permission="mentoring.pairs.read") -> list[Organization]:
    """The topmost organisations under the principal's ``permission`` scopes where the block
    is on: the scope itself when it is on there, else where it was switched on below."""
    found = {}
    for path in principal.scopes(permission):
        if path != ROOT:
            scope = _org_at(path)
            if is_enabled(scope, NAME):
                found[scope.path] = scope
                continue
        below = (
            Organization.select()
            .join(PluginActivation)
            .where(PluginActivation.plugin == NAME, PluginActivation.enabled == True)  # noqa: E712
        )
        if path != ROOT:
            below = below.where(in_subtree(Organization.path, path))
        for org in below:
            found[org.path] = org
    paths = sorted(found)
    topmost = [p for p in paths if not any(o != p and p.startswith(o) for o in paths)]
    return sorted((found[p] for p in topmost), key=lambda org: org.name)


def people(ids) -> dict[int, StaffMember]:
    """Staff members by id, in one query."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {s.id: s for s in StaffMember.select().where(StaffMember.id.in_(ids))}


def register_of(org) -> list[dict]:
    """The current pairs under ``org`` with both people, by school then mentor's name."""
    pairs = list(pairs_in([org.path]).order_by(Organization.path, MentorPair.id))
    known = people([p.mentor_id for p in pairs] + [p.mentee_id for p in pairs])
    rows = [
        {"pair": pair, "school": pair.organization, "mentor": known[pair.mentor_id],
         "mentee": known[pair.mentee_id]}
        for pair in pairs
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["school"].path, r["mentor"].full_name, r["pair"].id))


def young_without_mentor(paths, year=None) -> list[StaffMember]:
    """Active staff under 35 in their first three years (the indicator's definition) with no
    active pair as mentee, by organisation and name."""
    ctx = SimpleNamespace(reference_year=year or clock.now().year, subtrees=list(paths))
    mentored = MentorPair.select(MentorPair.mentee).where(MentorPair.status == ACTIVE)
    query = young_beginners(ctx).where(StaffMember.id.not_in(mentored))
    return list(query.order_by(Organization.path, StaffMember.full_name))


def count_young_without_mentor(paths, year=None) -> int:
    ctx = SimpleNamespace(reference_year=year or clock.now().year, subtrees=list(paths))
    mentored = MentorPair.select(MentorPair.mentee).where(MentorPair.status == ACTIVE)
    return young_beginners(ctx).where(StaffMember.id.not_in(mentored)).count()


def links_in(org):
    """Mentor-school links where either school lies under the organisation (or is it)."""
    mentor, supported = Organization.alias(), Organization.alias()
    return (
        MentorSchoolLink.select(MentorSchoolLink, mentor, supported)
        .join(mentor, on=(MentorSchoolLink.mentor_school == mentor.id), attr="mentor_school")
        .switch(MentorSchoolLink)
        .join(
            supported,
            on=(MentorSchoolLink.supported_school == supported.id),
            attr="supported_school",
        )
        .where(in_subtree(mentor.path, org.path) | in_subtree(supported.path, org.path))
        .order_by(MentorSchoolLink.id)
    )
