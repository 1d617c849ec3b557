"""The core indicator «Доля педагогов, охваченных методической сетью»: counted staff (active,
of open organisations) with at least one activity (not cancelled) in the period / counted
staff under the scope.

An activity is "in" the period when its dates overlap it (an activity without an end date
lasts its one day), so a pair that runs from September to May counts in both years.
Without a period the current calendar year is taken.
"""

import datetime as dt

from peewee import SQL, fn

from core import clock
from core.models import Activity, Organization, StaffMember
from exports.figures import by_path, counted_staff, flag


def _bounds(ctx) -> tuple[dt.date, dt.date]:
    if ctx.period_start is not None:
        return ctx.period_start, ctx.period_end
    year = clock.now().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _rows(ctx):
    """(organisation path, active staff, covered) in one grouped query."""
    start, end = _bounds(ctx)
    covered = (
        Activity.select(SQL("1"))
        .where(
            Activity.staff == StaffMember.id,
            Activity.cancelled == False,  # noqa: E712
            Activity.date <= end,
            fn.COALESCE(Activity.end_date, Activity.date) >= start,
        )
        .limit(1)
    )
    return list(
        counted_staff(
            [ctx.scope.path], Organization.path, fn.COUNT(StaffMember.id), flag(fn.EXISTS(covered))
        )
        .group_by(Organization.path)
        .tuples()
    )


def coverage_grouped(ctx, paths):
    start, end = _bounds(ctx)
    rows = ctx.remember(("core.coverage", ctx.scope.path, start, end), lambda: _rows(ctx))
    return {path: (covered, total) for path, (total, covered) in by_path(rows, paths).items()}


def coverage(ctx):
    # The sum of the grouped figures over the one scope: the engine may derive this itself
    # (issue 12, §5); until it does, writing it this way keeps the two from drifting.
    return coverage_grouped(ctx, [ctx.scope.path])[ctx.scope.path]


COVERAGE = {
    "code": "methodical_network_coverage",
    "title": "Доля педагогов, охваченных методической сетью",
    "unit": "share",
    "compute": coverage,
    "compute_grouped": coverage_grouped,
    # Seed 002 (Tomsk), lines 182-184 [SEEDS-EXTRACT.md:613]: «Вовлечение педагогов проводится
    # поэтапно: 2020 год не менее 5 % ..., в 2021 году не менее 15% ..., в 2022 году – 25 % ...,
    # в 2023 году – 60 % ..., в 2024 году – 100% учителей из муниципалитетов Томской области».
    "target": {2020: 5, 2021: 15, 2022: 25, 2023: 60, 2024: 100},
    "direction": "at_least",
    "description": "Числитель — те из знаменателя, у кого в периоде есть хотя бы одна "
    "неотменённая запись о профессиональной активности (курсы, наставничество, методический "
    "актив…), пересекающая период; знаменатель — работающие педагогические работники открытых "
    "организаций (сотрудники закрытых организаций и уволенные не учитываются).",
}
