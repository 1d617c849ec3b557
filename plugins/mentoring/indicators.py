"""The block's indicators (seed 003: indicators 5 and 6; mentees per mentor)."""

from peewee import fn

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from exports.indicators import by_path, subtree_finder
from forms.models import Campaign, FormDefinition, Submission
from plugins.mentoring.models import MentorPair
from plugins.mentoring.register import ACTIVE, pairs_in
from plugins.mentoring.settings import settings_for


def _paths(ctx):
    """Subtrees of the scope where the block is on (the engine fills ctx.enabled_paths)."""
    return ctx.enabled_paths if ctx.enabled_paths is not None else [ctx.scope.path]


def young_beginners(ctx):
    """Active staff under 35 and in their first three years in the period's first year."""
    year = ctx.reference_year
    return (
        StaffMember.select(StaffMember, Organization)
        .join(Organization)
        .where(
            in_scopes(Organization.path, _paths(ctx)),
            StaffMember.active == True,  # noqa: E712
            StaffMember.birth_year > year - 35,
            StaffMember.teaching_since.is_null(False),
            StaffMember.teaching_since > year - 3,
        )
    )


def _settings(ctx):
    """The region's settings, read once per report."""
    return ctx.remember(
        ("mentoring.settings", ctx.scope.region_id), lambda: settings_for(ctx.scope)
    )


def _mentees():
    return MentorPair.select(MentorPair.mentee).where(MentorPair.status == ACTIVE)


def _coverage(ctx):
    young = young_beginners(ctx)
    return young.where(StaffMember.id.in_(_mentees())).count(), young.count()


def _coverage_grouped(ctx, paths):
    def per_org(query):
        return query.select(Organization.path, fn.COUNT(StaffMember.id)).group_by(Organization.path)

    young = young_beginners(ctx)
    covered = by_path(per_org(young.where(StaffMember.id.in_(_mentees()))).tuples(), paths, 1)
    total = by_path(per_org(young).tuples(), paths, 1)
    return {p: (covered[p][0], total[p][0]) for p in paths}


def _schools(ctx):
    return Organization.select(Organization.id).where(
        in_scopes(Organization.path, _paths(ctx)),
        Organization.kind == "school",
        Organization.active == True,  # noqa: E712
    )


def _implementing(ctx, schools) -> set[int]:
    """Schools whose accepted monitoring of the period confirms act and programme."""
    campaigns = (
        Campaign.select(Campaign.id)
        .join(FormDefinition)
        .where(FormDefinition.code == "mentoring_monitoring")
    )
    if ctx.period_start and ctx.period_end:
        campaigns = campaigns.where(
            Campaign.period_start <= ctx.period_end, Campaign.period_end >= ctx.period_start
        )
    implementing = set()
    for org_id, data in (
        Submission.select(Submission.organization, Submission.data)
        .where(
            Submission.campaign.in_(campaigns),
            Submission.state == "accepted",
            Submission.deleted_at.is_null(),
            Submission.organization.in_(schools.select(Organization.id)),
        )
        .tuples()
    ):
        if data.get("act_adopted") and data.get("programme_approved"):
            implementing.add(org_id)
    return implementing


def _target_model(ctx):
    schools = _schools(ctx)
    return len(_implementing(ctx, schools)), schools.count()


def _target_model_grouped(ctx, paths):
    schools = _schools(ctx)
    implementing = _implementing(ctx, schools)
    rows = schools.select(Organization.path, Organization.id).tuples()
    return {
        p: tuple(v)
        for p, v in by_path(((path, org in implementing, 1) for path, org in rows), paths).items()
    }


def _per_mentor(ctx):
    pairs = pairs_in(_paths(ctx), active_only=True)
    mentors = {p.mentor_id for p in pairs}
    return pairs.count(), len(mentors)


def _per_mentor_grouped(ctx, paths):
    find = subtree_finder(paths)
    pairs = dict.fromkeys(paths, 0)
    mentors = {p: set() for p in paths}
    rows = pairs_in(_paths(ctx), active_only=True).select(Organization.path, MentorPair.mentor)
    for path, mentor in rows.tuples():
        root = find(path)
        if root is not None:
            pairs[root] += 1
            mentors[root].add(mentor)
    return {p: (pairs[p], len(mentors[p])) for p in paths}


INDICATORS = [
    {
        "code": "mentoring_coverage",
        "title": "Доля молодых педагогов первых трёх лет, охваченных наставничеством",
        "unit": "share",
        "compute": _coverage,
        "compute_grouped": _coverage_grouped,
        "target": lambda ctx: _settings(ctx).coverage_target,
        "direction": "at_least",
        "description": "Показатель 5 (Клин): не менее 70 %; регион может задать 100 %.",
    },
    {
        "code": "mentoring_target_model",
        "title": "Доля школ, реализующих целевую модель наставничества",
        "unit": "share",
        "compute": _target_model,
        "compute_grouped": _target_model_grouped,
        "target": 100,
        "direction": "at_least",
        "description": "Показатель 6: принятые мониторинги с локальным актом и программой.",
    },
    {
        "code": "mentees_per_mentor",
        "title": "Наставляемых на одного наставника",
        "unit": "ratio",
        "compute": _per_mentor,
        "compute_grouped": _per_mentor_grouped,
        "target": lambda ctx: _settings(ctx).mentee_cap,
        "direction": "at_most",
        "description": "Действующие пары / наставники; выше порога региона — сигнал.",
    },
]
