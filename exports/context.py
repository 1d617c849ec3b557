"""What an export or indicator is computed for: a scope, a period, maybe a campaign."""

import datetime as dt
from dataclasses import dataclass, field

from core import clock
from forms import periods

PERIOD_KINDS = ("month", "quarter", "school_year", "year")


def parse_period(text: str | None) -> tuple[dt.date, dt.date, str, str] | None:
    """ "2025", "2024/2025", "2025-05" or "2025-Q2" → (start, end, kind, Russian label)."""
    if not text:
        return None
    for kind in PERIOD_KINDS:
        try:
            start, end = periods.parse(kind, text)
        except ValueError:
            continue
        return start, end, kind, periods.label(kind, start)
    raise ValueError("Период: ГГГГ, ГГГГ/ГГГГ, ГГГГ-ММ или ГГГГ-QN.")


@dataclass
class ExportContext:
    scope: object  # Organization
    user: object = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_label: str = ""
    campaign: object = None
    # Subtrees (paths) where the owning block is switched on; None: everywhere (core).
    enabled_paths: list[str] | None = None
    # Shared by the contexts of one report: a declaration may keep what it read once
    # (settings, a grouped query) for every unit (see ``remember``).
    cache: dict = field(default_factory=dict)

    def remember(self, key, compute):
        """``compute()`` once per report for ``key``."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def subtrees(self) -> list[str]:
        """Where a block's rows come from: the subtrees where it is on, else the whole scope."""
        return self.enabled_paths if self.enabled_paths is not None else [self.scope.path]

    @property
    def reference_year(self) -> int:
        """The year ages and experience are counted in (the period's first year)."""
        return (self.period_start or clock.today(self.scope)).year
