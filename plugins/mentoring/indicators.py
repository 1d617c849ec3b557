"""The block's indicators (seed 003: indicators 5 and 6; mentees per mentor).

Each declares only "compute_grouped": the engine derives the single-scope figures."""

from peewee import fn

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from exports.figures import by_path, counted_staff, flag, subtree_finder
from forms.models import Campaign, FormDefinition, Submission
from plugins.mentoring.models import MentorPair
from plugins.mentoring.register import ACTIVE, pairs_in
from plugins.mentoring.settings import settings_for


def young_beginners(ctx):
    """Counted staff (active, of open organisations) under 35 and in their first three
    years in the period's first year."""
    year = ctx.reference_year
    return counted_staff(ctx.subtrees, StaffMember, Organization).where(
        StaffMember.birth_year > year - 35,
        StaffMember.teaching_since.is_null(False),
        StaffMember.teaching_since > year - 3,
    )


def _settings(ctx):
    """The region's settings, read once per report."""
    return ctx.remember(
        ("mentoring.settings", ctx.scope.region_id), lambda: settings_for(ctx.scope)
    )


def _mentees():
    return MentorPair.select(MentorPair.mentee).where(MentorPair.status == ACTIVE)


def _coverage_grouped(ctx, paths):
    def read():  # per organisation: young beginners, and those with an active mentor
        young = young_beginners(ctx)
        covered = flag(StaffMember.id.in_(_mentees()))
        return list(
            young.select(Organization.path, fn.COUNT(StaffMember.id), covered)
            .group_by(Organization.path)
            .tuples()
        )

    rows = ctx.remember(("mentoring.coverage", tuple(ctx.subtrees), ctx.reference_year), read)
    return {p: (covered, total) for p, (total, covered) in by_path(rows, paths).items()}


def _schools(ctx):
    return Organization.select(Organization.id).where(
        in_scopes(Organization.path, ctx.subtrees),
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


def _target_model_grouped(ctx, paths):
    def read():  # (school path, implements the model, 1)
        schools = _schools(ctx)
        implementing = _implementing(ctx, schools)
        rows = schools.select(Organization.path, Organization.id).tuples()
        return [(path, org in implementing, 1) for path, org in rows]

    key = ("mentoring.target_model", tuple(ctx.subtrees), ctx.period_start, ctx.period_end)
    rows = ctx.remember(key, read)
    return {p: tuple(v) for p, v in by_path(rows, paths).items()}


def _per_mentor_grouped(ctx, paths):
    def read():  # (organisation path, mentor, active pairs): one row per mentor and school
        pairs = pairs_in(ctx.subtrees, active_only=True).where(Organization.active == True)  # noqa: E712
        return list(
            pairs.select(Organization.path, MentorPair.mentor, fn.COUNT(MentorPair.id))
            .group_by(Organization.path, MentorPair.mentor)
            .tuples()
        )

    find = subtree_finder(paths)
    pairs = dict.fromkeys(paths, 0)
    mentors = {p: set() for p in paths}
    for path, mentor, count in ctx.remember(("mentoring.pairs", tuple(ctx.subtrees)), read):
        root = find(path)
        if root is not None:
            pairs[root] += count
            mentors[root].add(mentor)
    return {p: (pairs[p], len(mentors[p])) for p in paths}


INDICATORS = [
    {
        "code": "mentoring_coverage",
        "title": "Доля молодых педагогов первых трёх лет, охваченных наставничеством",
        "unit": "share",
        "compute_grouped": _coverage_grouped,
        "target": 70,  # the declared default; a region sets its own per year (targets)
        "direction": "at_least",
        "description": "Знаменатель — работающие педагоги открытых организаций моложе 35 "
        "лет с педагогическим стажем меньше трёх лет (в первом году периода); числитель — "
        "те из них, у кого есть действующая пара с наставником. Цель по умолчанию — "
        "не менее 70 % (показатель 5 Клина); регион задаёт свою по годам (Томск — 100 %).",
    },
    {
        "code": "mentoring_target_model",
        "title": "Доля школ, реализующих целевую модель наставничества",
        "unit": "share",
        "compute_grouped": _target_model_grouped,
        "target": 100,
        "direction": "at_least",
        "description": "Знаменатель — открытые школы; числитель — те из них, чей мониторинг "
        "наставничества за период принят и подтверждает и локальный акт, и программу "
        "наставничества (показатель 6 Клина: 100 %).",
    },
    {
        "code": "mentees_per_mentor",
        "title": "Наставляемых на одного наставника",
        "unit": "ratio",
        "compute_grouped": _per_mentor_grouped,
        "target": lambda ctx: _settings(ctx)["mentee_cap"],
        "direction": "at_most",
        "description": "Числитель — действующие пары наставничества в открытых организациях; "
        "знаменатель — наставники этих пар (каждый один раз). Выше порога из настроек региона "
        "— сигнал перегрузки наставников.",
    },
]
