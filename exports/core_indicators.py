"""The core's indicators: staff figures of the roster and the completeness of campaigns.

Staff figures count the active staff of open organisations (``figures.counted_staff``);
methodists are the staff whose position the region counts as a methodist's
(``indicator_settings``).  Completeness counts the audience subjects of the period's
campaigns and, among exactly them, those who submitted (``forms.progress.tally``, the
same count as the campaign progress endpoint).
"""

from peewee import fn

from core.models import Organization, StaffMember
from exports.coverage import COVERAGE
from exports.figures import by_path, counted_staff, flag
from exports.indicator_settings import is_methodist, methodist_words
from forms import progress
from forms.models import Campaign


def _methodist_positions(ctx) -> list[str]:
    """The positions held under the scope that the region counts as methodists' (decided
    in Python: SQLite folds the case of Latin letters only)."""

    def read():
        region_words = methodist_words(ctx.scope.region_id or ctx.scope.id)
        held = counted_staff([ctx.scope.path], StaffMember.position).distinct().tuples()
        return sorted({p for (p,) in held if is_methodist(p, region_words)})

    return ctx.remember(("core.methodist_positions", ctx.scope.path), read)


def _staff_figures(ctx, paths):
    """Per subtree: counted staff, under 35, in the first three years, methodists.

    One query per report (plus the positions): per-organisation sums regrouped per call."""

    def read():
        year = ctx.reference_year
        methodists = _methodist_positions(ctx)
        return list(
            counted_staff(
                [ctx.scope.path],
                Organization.path,
                fn.COUNT(StaffMember.id),
                flag(StaffMember.birth_year > year - 35),
                flag(StaffMember.teaching_since > year - 3),
                flag(StaffMember.position.in_(methodists)),
            )
            .group_by(Organization.path)
            .tuples()
        )

    rows = ctx.remember(("core.staff", ctx.scope.path, ctx.reference_year), read)
    return by_path(rows, paths, width=4)


def _staff_count_grouped(ctx, paths):
    return {p: (total, None) for p, (total, _, _, _) in _staff_figures(ctx, paths).items()}


def _young_share_grouped(ctx, paths):
    return {p: (young, total) for p, (total, young, _, _) in _staff_figures(ctx, paths).items()}


def _first_years_grouped(ctx, paths):
    return {p: (first, None) for p, (_, _, first, _) in _staff_figures(ctx, paths).items()}


def _per_methodist_grouped(ctx, paths):
    return {p: (t - m, m) for p, (t, _, _, m) in _staff_figures(ctx, paths).items()}


def _period_campaigns(ctx):
    return Campaign.select().where(
        Campaign.period_start <= (ctx.period_end or Campaign.period_end),
        Campaign.period_end >= (ctx.period_start or Campaign.period_start),
    )


def _completeness_rows(ctx):
    """(organisation path, submitted 0/1, 1) per audience subject of the period's campaigns
    under the scope: the rows ARE the audience, so the numerator is within it."""
    rows = []
    scope_path = ctx.scope.path
    for campaign in _period_campaigns(ctx):
        path = campaign.scope.path
        if not (path.startswith(scope_path) or scope_path.startswith(path)):
            continue
        within = scope_path if scope_path.startswith(path) else path
        rows += [
            (subject.organization.path, int(answer is not None and answer[1]), 1)
            for subject, answer in progress.tally(campaign, within)
        ]
    return rows


def _completeness_grouped(ctx, paths):
    key = ("core.completeness", ctx.scope.path, ctx.period_start, ctx.period_end)
    rows = ctx.remember(key, lambda: _completeness_rows(ctx))
    return {p: tuple(v) for p, v in by_path(rows, paths).items()}


STAFF = (
    "работающие педагогические работники открытых организаций (сотрудники закрытых "
    "организаций и уволенные не учитываются)"
)

CORE_INDICATORS = [
    {
        "code": "staff_count",
        "title": "Численность педагогических работников",
        "unit": "count",
        "compute_grouped": _staff_count_grouped,
        "target": None,
        "description": f"Число: {STAFF}.",
    },
    {
        "code": "young_share",
        "title": "Доля педагогов в возрасте до 35 лет",
        "unit": "share",
        "compute_grouped": _young_share_grouped,
        "target": None,
        "description": "Числитель — те из знаменателя, кому в первом году периода меньше 35 "
        f"лет (год рождения позже «год − 35»); знаменатель — {STAFF}.",
    },
    {
        "code": "first_years",
        "title": "Педагоги первых трёх лет работы",
        "unit": "count",
        "compute_grouped": _first_years_grouped,
        "target": None,
        "description": f"Число: {STAFF}, чей педагогический стаж в первом году периода "
        "меньше трёх лет (начало стажа позже «год − 3»).",
    },
    {
        "code": "teachers_per_methodist",
        "title": "Педагогов на одного методиста",
        "unit": "ratio",
        "compute_grouped": _per_methodist_grouped,
        "target": 70,
        "direction": "at_most",
        "description": f"Числитель — {STAFF}, кроме методистов; знаменатель — методисты: "
        "сотрудники с должностью, содержащей одно из слов настройки региона «Должности "
        "методистов» (по умолчанию «методист»; роль пользователя не важна). Цель — не более "
        "70 (программа Клина, показатель 4).",
    },
    {
        "code": "campaign_completeness",
        "title": "Полнота сдачи мониторингов",
        "unit": "share",
        "compute_grouped": _completeness_grouped,
        "target": 100,
        "direction": "at_least",
        "description": "Знаменатель — аудитория кампаний, чей период пересекается с "
        "выбранным: открытые организации нужных видов и статусов, где включён блок формы "
        "(для форм по педагогам — их работающие педагоги); числитель — те из аудитории, кто "
        "отправил форму хотя бы раз. Отправившие, но вышедшие из аудитории (организация "
        "закрыта, блок выключен, педагог уволен), не учитываются — как в ходе кампании.",
    },
    COVERAGE,  # the activity record: exports/coverage.py
]
