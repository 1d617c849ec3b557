"""Russian labels the templates show for the block's codes, and grouping by area."""

from plugins.diagnostics.catalogue import (
    AREAS,
    LEVELS,
    PROCEDURES,
    ROUTE_STATUSES,
    STEP_KINDS,
    STEP_STATUSES,
)

LABELS = {
    "AREAS": AREAS,
    "LEVELS": LEVELS,
    "PROCEDURES": PROCEDURES,
    "ROUTE_STATUSES": ROUTE_STATUSES,
    "STEP_KINDS": STEP_KINDS,
    "STEP_STATUSES": STEP_STATUSES,
}


def by_area(results) -> list[tuple[str, list]]:
    """[(area, results)] in the catalogue's order of areas, empty areas left out."""
    groups = {area: [] for area in AREAS}
    for result in results:
        groups[result.area].append(result)
    return [(area, rows) for area, rows in groups.items() if rows]
