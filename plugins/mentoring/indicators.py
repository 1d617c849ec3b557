"""The block's indicators (seed 003: indicators 5 and 6; mentees per mentor)."""

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
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


def _coverage(ctx):
    young = young_beginners(ctx)
    mentees = MentorPair.select(MentorPair.mentee).where(MentorPair.status == ACTIVE)
    return young.where(StaffMember.id.in_(mentees)).count(), young.count()


def _target_model(ctx):
    """Schools whose latest accepted monitoring of the period confirms act and programme."""
    schools = Organization.select(Organization.id).where(
        in_scopes(Organization.path, _paths(ctx)),
        Organization.kind == "school",
        Organization.active == True,  # noqa: E712
    )
    total = schools.count()
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
            Submission.organization.in_(schools),
        )
        .tuples()
    ):
        if data.get("act_adopted") and data.get("programme_approved"):
            implementing.add(org_id)
    return len(implementing), total


def _per_mentor(ctx):
    pairs = pairs_in(_paths(ctx), active_only=True)
    mentors = {p.mentor_id for p in pairs}
    return pairs.count(), len(mentors)


INDICATORS = [
    {
        "code": "mentoring_coverage",
        "title": "Доля молодых педагогов первых трёх лет, охваченных наставничеством",
        "unit": "share",
        "compute": _coverage,
        "target": lambda ctx: settings_for(ctx.scope).coverage_target,
        "direction": "at_least",
        "description": "Показатель 5 (Клин): не менее 70 %; регион может задать 100 %.",
    },
    {
        "code": "mentoring_target_model",
        "title": "Доля школ, реализующих целевую модель наставничества",
        "unit": "share",
        "compute": _target_model,
        "target": 100,
        "direction": "at_least",
        "description": "Показатель 6: принятые мониторинги с локальным актом и программой.",
    },
    {
        "code": "mentees_per_mentor",
        "title": "Наставляемых на одного наставника",
        "unit": "ratio",
        "compute": _per_mentor,
        "target": lambda ctx: settings_for(ctx.scope).mentee_cap,
        "direction": "at_most",
        "description": "Действующие пары / наставники; выше порога региона — сигнал.",
    },
]
