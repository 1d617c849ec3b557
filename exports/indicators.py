"""Indicators: declared as data, computed per scope and period against targets.

A declaration: {"code", "title", "unit": "share" | "count" | "ratio",
"compute": ctx -> (numerator, denominator or None), "target": a number, a
trajectory {year: number}, a callable ctx -> number, or None, "direction": "at_least" | "at_most",
"description"}.  Every figure comes with its numerator and denominator so a
methodist can check it by hand; an empty denominator is "no data", not 0 %.
"""

from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from forms import audience
from forms.models import Campaign, Submission

UNITS = {"share": "%", "count": "чел.", "ratio": ""}
STATUS_TITLES = {
    "met": "достигнут",
    "not_met": "не достигнут",
    "no_data": "нет данных",
    "no_target": "цель не задана",
}


def target_for(declaration, ctx):
    """A number, a trajectory {year: number}, or a callable ctx -> number (regional settings)."""
    target = declaration.get("target")
    if callable(target):
        return target(ctx)
    year = ctx.reference_year
    if isinstance(target, dict):
        return target.get(year, target.get(str(year)))
    return target


def evaluate(declaration, ctx) -> dict:
    numerator, denominator = declaration["compute"](ctx)
    unit = declaration["unit"]
    if unit == "count":
        value = numerator
    elif not denominator:
        value = None
    elif unit == "share":
        value = round(100 * numerator / denominator, 1)
    else:
        value = round(numerator / denominator, 2)
    target = target_for(declaration, ctx)
    if value is None:
        status = "no_data"
    elif target is None:
        status = "no_target"
    elif declaration.get("direction", "at_least") == "at_most":
        status = "met" if value <= target else "not_met"
    else:
        status = "met" if value >= target else "not_met"
    return {
        "code": declaration["code"],
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "target": target,
        "status": status,
    }


# --- the core's indicators --------------------------------------------------


def _active_staff(ctx):
    return (
        StaffMember.select()
        .join(Organization)
        .where(in_subtree(Organization.path, ctx.scope.path), StaffMember.active == True)  # noqa: E712
    )


def _staff_count(ctx):
    return _active_staff(ctx).count(), None


def _young_share(ctx):
    staff = _active_staff(ctx)
    young = staff.where(StaffMember.birth_year > ctx.reference_year - 35).count()
    return young, staff.count()


def _first_years(ctx):
    return (
        _active_staff(ctx)
        .where(
            StaffMember.teaching_since.is_null(False),
            StaffMember.teaching_since > ctx.reference_year - 3,
        )
        .count(),
        None,
    )


def _per_methodist(ctx):
    staff = _active_staff(ctx)
    # "етодист" matches "методист" and "Методист": SQLite's LIKE folds only ASCII letters.
    methodists = staff.where(StaffMember.position.contains("етодист")).count()
    return staff.count() - methodists, methodists


def _completeness(ctx):
    """Submitted subjects of the period's campaigns over their audience, under the scope."""
    campaigns = Campaign.select().where(
        Campaign.period_start <= (ctx.period_end or Campaign.period_end),
        Campaign.period_end >= (ctx.period_start or Campaign.period_start),
    )
    submitted = total = 0
    for campaign in campaigns:
        path, scope_path = campaign.scope.path, ctx.scope.path
        if not (path.startswith(scope_path) or scope_path.startswith(path)):
            continue
        within = scope_path if scope_path.startswith(path) else path
        members = audience.organizations(campaign, within_path=within)
        if campaign.form.level == "staff":
            total += len(audience.staff(campaign, members))
        else:
            total += len(members)
        submitted += (
            Submission.select()
            .join(Organization)
            .where(
                Submission.campaign == campaign,
                Submission.deleted_at.is_null(),
                Submission.first_submitted_at.is_null(False),
                in_subtree(Organization.path, within),
            )
            .count()
        )
    return submitted, total


CORE_INDICATORS = [
    {
        "code": "staff_count",
        "title": "Численность педагогических работников",
        "unit": "count",
        "compute": _staff_count,
        "target": None,
        "description": "Работающие педагоги организаций области.",
    },
    {
        "code": "young_share",
        "title": "Доля педагогов в возрасте до 35 лет",
        "unit": "share",
        "compute": _young_share,
        "target": None,
        "description": "Возраст в первом году периода меньше 35 лет / все работающие педагоги.",
    },
    {
        "code": "first_years",
        "title": "Педагоги первых трёх лет работы",
        "unit": "count",
        "compute": _first_years,
        "target": None,
        "description": "Педагогический стаж меньше трёх лет в первом году периода.",
    },
    {
        "code": "teachers_per_methodist",
        "title": "Педагогов на одного методиста",
        "unit": "ratio",
        "compute": _per_methodist,
        "target": 70,
        "direction": "at_most",
        "description": "Программа Клина, показатель 4: не более 70 педагогов на методиста.",
    },
    {
        "code": "campaign_completeness",
        "title": "Полнота сдачи мониторингов",
        "unit": "share",
        "compute": _completeness,
        "target": 100,
        "direction": "at_least",
        "description": "Сдавшие хотя бы раз / аудитория кампаний периода.",
    },
]


def declarations(registry, scope) -> list[tuple[dict, str | None]]:
    """The core's indicators and those of blocks switched on at or under ``scope``."""
    from exports.registry import enabled_paths

    found = [(d, None) for d in CORE_INDICATORS]
    for declaration in registry.items("indicators"):
        owner = registry.owner("indicators", declaration["code"])
        if enabled_paths(scope, owner):
            found.append((declaration, owner))
    return found


def children(scope) -> list[Organization]:
    """The units a scope's figures break down into (hubs, municipalities, organisations)."""
    return list(
        Organization.select()
        .where(Organization.parent == scope, Organization.active == True)  # noqa: E712
        .order_by(Organization.name)
    )
