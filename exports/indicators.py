"""Indicators: declared as data, computed per scope and period against targets.

A declaration: {"code", "title", "unit": "share" | "count" | "ratio",
"compute": ctx -> (numerator, denominator or None), "target": a number, a
trajectory {year: number}, a callable ctx -> number, or None, "direction": "at_least" | "at_most",
"description"}.  Every figure comes with its numerator and denominator so a
methodist can check it by hand; an empty denominator is "no data", not 0 %.

"compute_grouped": (ctx, paths: list[str]) -> {path: (numerator, denominator)}
computes the figures of several disjoint subtrees ``paths`` under ``ctx.scope`` at once,
in a number of queries that does not depend on how many paths there are.  A report
broken down by units (exports.indicator_report) uses it when present and calls
"compute" once per unit otherwise.  ``by_path`` helps to write one.

A declaration needs one of the two; with only "compute_grouped" the engine derives the
single-scope figures (``compute``): the grouped figures of the subtrees the context covers
(``ctx.subtrees``: the scope, or where the block is on under it), summed — for the whole
scope, ``compute_grouped(ctx, [ctx.scope.path])[ctx.scope.path]``.
"""

from peewee import Case, fn

from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from exports.coverage import COVERAGE
from forms import audience
from forms.models import Campaign, Submission

UNITS = {"share": "%", "count": "чел.", "ratio": ""}
STATUS_TITLES = {
    "met": "достигнут",
    "not_met": "не достигнут",
    "no_data": "нет данных",
    "no_target": "цель не задана",
}


def target_for(declaration, ctx) -> tuple:
    """(target, source) for the context's region and year: the region's own target for that
    year ("region"), else the declared default ("declared"; exports/targets.py)."""
    from exports import targets

    return targets.for_context(declaration, ctx)


def sum_figures(figures) -> tuple:
    """(numerator, denominator) of several subtrees: the sums; no denominator when none has."""
    figures = list(figures)
    numerator = sum(n or 0 for n, _ in figures)
    denominators = [d for _, d in figures if d is not None]
    return numerator, sum(denominators) if denominators else None


def compute(declaration, ctx) -> tuple:
    """(numerator, denominator) at ``ctx``: the declaration's ``compute``, or else its
    ``compute_grouped`` over the subtrees the context covers, summed."""
    if declaration.get("compute") is not None:
        return declaration["compute"](ctx)
    paths = ctx.subtrees
    figures = declaration["compute_grouped"](ctx, paths)
    return sum_figures(figures.get(path, (0, None)) for path in paths)


def evaluate(declaration, ctx, figures=None) -> dict:
    """The indicator at ``ctx``; ``figures`` (numerator, denominator) if already computed."""
    numerator, denominator = figures if figures is not None else compute(declaration, ctx)
    unit = declaration["unit"]
    if unit == "count":
        value = numerator
    elif not denominator:
        value = None
    elif unit == "share":
        value = round(100 * numerator / denominator, 1)
    else:
        value = round(numerator / denominator, 2)
    target, target_source = target_for(declaration, ctx)
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
        "target_source": target_source,
        "status": status,
    }


# --- grouping by subtree ---------------------------------------------------


def subtree_finder(paths):
    """A function org path -> the one of the disjoint subtrees ``paths`` holding it, or None."""
    roots = set(paths)

    def find(path):
        end = 0
        while (end := path.find("/", end + 1)) > 0:
            if path[: end + 1] in roots:
                return path[: end + 1]
        return None

    return find


def by_path(rows, paths, width=2):
    """Sum rows (org path, value, ...) into {path: [sum, ...]} for every one of ``paths``.

    ``width`` is the number of values per row; a subtree without rows sums to zeros.
    """
    find = subtree_finder(paths)
    sums = {path: [0] * width for path in paths}
    for path, *values in rows:
        root = find(path)
        if root is not None:
            total = sums[root]
            for i, value in enumerate(values):
                total[i] += value or 0
    return sums


# --- the core's indicators --------------------------------------------------


def _staff_figures(ctx, paths):
    """Per subtree: active staff, under 35, in the first three years, methodists.

    One query per report: the per-organisation sums are kept and regrouped per call."""

    def read():
        year = ctx.reference_year
        return list(
            StaffMember.select(
                Organization.path,
                fn.COUNT(StaffMember.id),
                fn.SUM(Case(None, [(StaffMember.birth_year > year - 35, 1)], 0)),
                fn.SUM(Case(None, [(StaffMember.teaching_since > year - 3, 1)], 0)),
                fn.SUM(Case(None, [(StaffMember.position.contains("етодист"), 1)], 0)),
            )
            .join(Organization)
            .where(in_subtree(Organization.path, ctx.scope.path), StaffMember.active == True)  # noqa: E712
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
    """(organisation path, submitted, audience) rows of the period's campaigns under the
    scope: a few queries per campaign, kept for the whole report."""
    rows = []
    for campaign in _period_campaigns(ctx):
        path, scope_path = campaign.scope.path, ctx.scope.path
        if not (path.startswith(scope_path) or scope_path.startswith(path)):
            continue
        within = scope_path if scope_path.startswith(path) else path
        members = audience.organizations(campaign, within_path=within)
        if campaign.form.level == "staff":
            path_of = {m.id: m.path for m in members}
            rows += [(path_of[s.organization_id], 0, 1) for s in audience.staff(campaign, members)]
        else:
            rows += [(m.path, 0, 1) for m in members]
        submitted = (
            Submission.select(Organization.path, fn.COUNT(Submission.id))
            .join(Organization)
            .where(
                Submission.campaign == campaign,
                Submission.deleted_at.is_null(),
                Submission.first_submitted_at.is_null(False),
                in_subtree(Organization.path, within),
            )
            .group_by(Organization.path)
            .tuples()
        )
        rows.extend((path, count, 0) for path, count in submitted)
    return rows


def _completeness_grouped(ctx, paths):
    key = ("core.completeness", ctx.scope.path, ctx.period_start, ctx.period_end)
    rows = ctx.remember(key, lambda: _completeness_rows(ctx))
    return {p: tuple(v) for p, v in by_path(rows, paths).items()}


CORE_INDICATORS = [
    {
        "code": "staff_count",
        "title": "Численность педагогических работников",
        "unit": "count",
        "compute_grouped": _staff_count_grouped,
        "target": None,
        "description": "Работающие педагоги организаций области.",
    },
    {
        "code": "young_share",
        "title": "Доля педагогов в возрасте до 35 лет",
        "unit": "share",
        "compute_grouped": _young_share_grouped,
        "target": None,
        "description": "Возраст в первом году периода меньше 35 лет / все работающие педагоги.",
    },
    {
        "code": "first_years",
        "title": "Педагоги первых трёх лет работы",
        "unit": "count",
        "compute_grouped": _first_years_grouped,
        "target": None,
        "description": "Педагогический стаж меньше трёх лет в первом году периода.",
    },
    {
        "code": "teachers_per_methodist",
        "title": "Педагогов на одного методиста",
        "unit": "ratio",
        "compute_grouped": _per_methodist_grouped,
        "target": 70,
        "direction": "at_most",
        "description": "Программа Клина, показатель 4: не более 70 педагогов на методиста.",
    },
    {
        "code": "campaign_completeness",
        "title": "Полнота сдачи мониторингов",
        "unit": "share",
        "compute_grouped": _completeness_grouped,
        "target": 100,
        "direction": "at_least",
        "description": "Сдавшие хотя бы раз / аудитория кампаний периода.",
    },
]


CORE_INDICATORS.append(COVERAGE)  # activity record: exports/coverage.py


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
