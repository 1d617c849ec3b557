"""Indicators for a scope and each of its units, in a number of queries that does not
grow with the number of units.

Where a block is switched on is read once per block for all units; declarations with
"compute_grouped" get every unit's subtrees in one call (a unit's figure is the sum
over its subtrees where the block is on); the others are computed unit by unit.
"""

from core.models import Organization
from core.models.organization import in_subtree
from exports.context import ExportContext
from exports.indicators import children, evaluate, sum_figures
from exports.names import natural_key
from exports.registry import enabled_paths_of

BREAKDOWNS = {"children": "непосредственные подразделения", "municipalities": "муниципалитеты"}


def units(scope, breakdown="children") -> list[Organization]:
    """The rows under the scope's own: its direct units, or every municipality under it,
    in the order of their proper names («МО Город № 2» before «г.о. Клин»)."""
    if breakdown == "children" or scope.kind == "municipality":
        found = children(scope)
    else:
        found = Organization.select().where(
            Organization.kind == "municipality",
            in_subtree(Organization.path, scope.path),
            Organization.active == True,  # noqa: E712
        )
    return sorted(found, key=lambda org: natural_key(org.name))


def report(declared, scope, rows_for, *, period_start=None, period_end=None, period_label="",
           user=None) -> list[tuple[Organization, list[dict]]]:  # fmt: skip
    """[(organisation, [indicator value, ...])] for ``scope`` then each of ``rows_for``.

    ``declared``: [(declaration, owning block or None)] as ``indicators.declarations`` gives.
    A unit where the owning block is off gets {"code", "status": "no_data"}.
    """
    orgs = [scope, *rows_for]
    cache = {}
    enabled = {
        owner: enabled_paths_of(orgs, owner) for owner in {o for _, o in declared if o is not None}
    }

    def context(org, paths):
        return ExportContext(
            scope=org,
            user=user,
            period_start=period_start,
            period_end=period_end,
            period_label=period_label,
            enabled_paths=paths,
            cache=cache,
        )

    values = {org.id: [] for org in orgs}
    for declaration, owner in declared:
        paths_of = enabled[owner] if owner else {org.id: [org.path] for org in orgs}
        scope_ctx = context(scope, paths_of[scope.id] if owner else None)
        grouped = declaration.get("compute_grouped")
        figures = {}
        if grouped is not None and paths_of[scope.id]:
            # The scope's own subtrees, then the units' (each call's paths are disjoint).
            for group in ([scope], rows_for):
                wanted = [path for org in group for path in paths_of[org.id]]
                by_path = grouped(scope_ctx, wanted) if wanted else {}
                for org in group:
                    figures[org.id] = sum_figures(
                        by_path.get(p, (0, None)) for p in paths_of[org.id]
                    )
        for org in orgs:
            paths = paths_of[org.id]
            if not paths:
                values[org.id].append({"code": declaration["code"], "status": "no_data"})
                continue
            ctx = scope_ctx if org is scope else context(org, paths if owner else None)
            # (the figures come from the grouped call when there is one, else from compute)
            values[org.id].append(evaluate(declaration, ctx, figures.get(org.id)))
    return [(org, values[org.id]) for org in orgs]
