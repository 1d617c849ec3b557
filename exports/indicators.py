"""Indicators: declared as data, computed per scope and period against targets.

A declaration: {"code", "title", "unit": "share" | "count" | "ratio",
"compute": ctx -> (numerator, denominator or None), "target": a number, a
trajectory {year: number}, a callable ctx -> number, or None, "direction": "at_least" | "at_most",
"description": the Russian rule of the numerator and the denominator, required}.  Every
figure comes with its numerator and denominator so a methodist can check it by hand; an
empty denominator is "no data", not 0 %.  A share's numerator is counted among the rows of
its denominator (``exports.figures``); the status compares the EXACT value with the target
(``evaluate``), the value is rounded only for reading.

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

from decimal import Decimal
from fractions import Fraction

from core.models import Organization
from exports.core_indicators import CORE_INDICATORS
from exports.figures import by_path, subtree_finder, sum_figures

__all__ = ["CORE_INDICATORS", "by_path", "subtree_finder", "sum_figures"]  # for the blocks

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


def compute(declaration, ctx) -> tuple:
    """(numerator, denominator) at ``ctx``: the declaration's ``compute``, or else its
    ``compute_grouped`` over the subtrees the context covers, summed."""
    if declaration.get("compute") is not None:
        return declaration["compute"](ctx)
    paths = ctx.subtrees
    figures = declaration["compute_grouped"](ctx, paths)
    return sum_figures(figures.get(path, (0, None)) for path in paths)


def exact(number) -> Fraction:
    """``number`` as an exact fraction (a float target 80.5 as 161/2, not its binary twin)."""
    if isinstance(number, int | Fraction | Decimal):
        return Fraction(number)
    return Fraction(str(number))


def exact_value(unit, numerator, denominator) -> Fraction | None:
    """The figure, unrounded: a count, a share in percent, or a ratio; None without data."""
    if unit == "count":
        return None if numerator is None else exact(numerator)
    if not denominator:
        return None
    ratio = exact(numerator) / exact(denominator)
    return 100 * ratio if unit == "share" else ratio


def status_of(value: Fraction | None, target, direction="at_least") -> str:
    """Met or not, on the EXACT value: 17/21 = 80.952… % does not meet 81 %."""
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    if direction == "at_most":
        return "met" if value <= exact(target) else "not_met"
    return "met" if value >= exact(target) else "not_met"


def evaluate(declaration, ctx, figures=None) -> dict:
    """The indicator at ``ctx``; ``figures`` (numerator, denominator) if already computed.

    "value" is rounded to two decimals for reading; "exact" is the unrounded float a
    workbook cell holds (shown through a number format); the status compares the exact
    fraction with the target."""
    numerator, denominator = figures if figures is not None else compute(declaration, ctx)
    unit = declaration["unit"]
    found = exact_value(unit, numerator, denominator)
    target, target_source = target_for(declaration, ctx)
    if found is None:
        value = None
    elif unit == "count":
        value = numerator
    else:
        value = round(float(found), 2)
    return {
        "code": declaration["code"],
        "value": value,
        "exact": None if found is None else float(found),
        "numerator": numerator,
        "denominator": denominator,
        "target": target,
        "target_source": target_source,
        "status": status_of(found, target, declaration.get("direction", "at_least")),
    }


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
