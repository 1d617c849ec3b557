"""Rows of the consolidated summary: the scope's total, each hub's subtotal followed by its
municipalities, then the municipalities directly under the scope, each group in the order of
the proper names (``exports.names``).

A total is never an average of shares: it is the sum of the numerators over the sum of the
denominators, evaluated against the target like any figure (``indicators.evaluate``).
"""

from dataclasses import dataclass

from core.models import Organization
from exports.context import ExportContext
from exports.indicator_report import units
from exports.indicators import evaluate, sum_figures
from exports.names import natural_key

OUTSIDE = "Организации вне муниципалитетов"


@dataclass
class SummaryRow:
    kind: str  # "total", "hub", "outside" or "municipality"
    label: str
    results: list[dict]  # one per indicator; {"code", "status"} alone where the block is off
    level: int = 0  # outline level: municipalities of a hub fold under its subtotal


def municipalities(scope) -> list[Organization]:
    """The active municipalities under ``scope``, by proper name."""
    return [scope] if scope.kind == "municipality" else units(scope, "municipalities")


def _figures(results):
    """(numerator, denominator) summed over the results where the block is on; None if none."""
    on = [(r["numerator"], r["denominator"]) for r in results if "numerator" in r]
    return sum_figures(on) if on else None


def _total(declared, org, columns, base_ctx):
    """Each indicator over the rows ``columns[i]`` (results of the units), for ``org``."""
    ctx = ExportContext(
        scope=org,
        user=base_ctx.user,
        period_start=base_ctx.period_start,
        period_end=base_ctx.period_end,
        period_label=base_ctx.period_label,
    )
    totals = []
    for (declaration, _), results in zip(declared, columns, strict=True):
        figures = _figures(results)
        if figures is None:
            totals.append({"code": declaration["code"], "status": "no_data"})
        else:
            totals.append(evaluate(declaration, ctx, figures))
    return totals


def _outside(declared, scope, own, rows, ctx):
    """The scope's own figures minus its municipalities' (organisations under the region
    itself, a hub's methodical centre), or None when the municipalities hold everything."""
    differences, any_left = [], False
    for index in range(len(declared)):
        mine = own[index]
        summed = _figures([results[index] for _, results in rows])
        if "numerator" not in mine:
            differences.append([])
            continue
        numerator, denominator = summed or (0, None)
        left = mine["numerator"] - numerator
        left_den = None if mine["denominator"] is None else mine["denominator"] - (denominator or 0)
        any_left = any_left or bool(left) or bool(left_den)
        differences.append([{"numerator": left, "denominator": left_den}])
    return _total(declared, scope, differences, ctx) if any_left else None


def tree(declared, scope, scope_results, rows, ctx) -> list[SummaryRow]:
    """The summary's rows from ``report``'s: ``scope_results`` and [(municipality, results)]."""
    total = SummaryRow("total", f"{scope.name} — итого", scope_results)
    if scope.kind == "municipality":
        return [SummaryRow("municipality", scope.name, scope_results)]
    hub_ids = {m.parent_id for m, _ in rows if m.parent_id != scope.id}
    hubs = {
        hub.id: hub
        for hub in Organization.select().where(
            Organization.id.in_(list(hub_ids)), Organization.kind == "hub"
        )
    }
    groups, direct = {}, []
    for municipality, results in rows:
        if municipality.parent_id in hubs:
            groups.setdefault(municipality.parent_id, []).append((municipality, results))
        else:
            direct.append((municipality, results))
    out = [total]
    for hub in sorted(hubs.values(), key=lambda org: natural_key(org.name)):
        members = groups[hub.id]
        columns = [[results[i] for _, results in members] for i in range(len(declared))]
        subtotal = _total(declared, hub, columns, ctx)
        out.append(SummaryRow("hub", f"{hub.name} — итого по кусту", subtotal))
        out += [SummaryRow("municipality", m.name, results, level=1) for m, results in members]
    out += [SummaryRow("municipality", m.name, results) for m, results in direct]
    outside = _outside(declared, scope, scope_results, rows, ctx)
    if outside is not None:
        out.append(SummaryRow("outside", OUTSIDE, outside))
    return out
