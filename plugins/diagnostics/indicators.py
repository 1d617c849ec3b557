"""The block's indicators (seed 003: indicators 2, 3 and 8).

Each declares only "compute_grouped" (the engine derives the single-scope figures): one
grouped query per report (per organisation: active staff, diagnosed, with a route, with a
federal-register course done in the year), summed into the units' subtrees.
"""

import datetime as dt

from peewee import fn

from core.models import Organization, StaffMember
from exports.figures import by_path, counted_staff, flag
from plugins.diagnostics.models import Course, Result, Route, Step


def _diagnosed_ids(ctx):
    """Staff with at least one result in the period (any procedure, any level)."""
    results = Result.select(Result.staff)
    if ctx.period_start and ctx.period_end:
        results = results.where(Result.date.between(ctx.period_start, ctx.period_end))
    return results


def _routed_ids():
    return Route.select(Route.staff).where(Route.status != "cancelled")


def _course_ids(ctx):
    """Staff who completed a course of the federal register in the period's year."""
    year = ctx.reference_year
    return (
        Step.select(Route.staff)
        .join(Route)
        .switch(Step)
        .join(Course)
        .where(
            Step.kind == "course",
            Step.status == "done",
            Course.federal_register == True,  # noqa: E712
            Step.completed_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        )
    )


def _staff_rows(ctx):
    """(organisation path, counted staff, diagnosed, with a route, with a course) rows:
    the numerators are flags over the denominator's rows."""

    def read():
        return list(
            counted_staff(
                ctx.subtrees,
                Organization.path,
                fn.COUNT(StaffMember.id),
                flag(StaffMember.id.in_(_diagnosed_ids(ctx))),
                flag(StaffMember.id.in_(_routed_ids())),
                flag(StaffMember.id.in_(_course_ids(ctx))),
            )
            .group_by(Organization.path)
            .tuples()
        )

    key = ("diagnostics.staff", tuple(ctx.subtrees), ctx.period_start, ctx.period_end,
           ctx.reference_year)  # fmt: skip
    return ctx.remember(key, read)


def _share_of_staff(column):
    """compute_grouped for "staff with <column> / active staff"."""

    def grouped(ctx, paths):
        sums = by_path([(path, *values) for path, *values in _staff_rows(ctx)], paths, width=4)
        return {path: (values[column], values[0]) for path, values in sums.items()}

    return grouped


def _route_rows(ctx):
    """(organisation path, routes not cancelled, completed) rows of counted staff."""

    def read():
        completed = flag(Route.status == "completed")
        return list(
            counted_staff(ctx.subtrees, Organization.path, fn.COUNT(Route.id), completed)
            .join_from(StaffMember, Route, on=(Route.staff == StaffMember.id))
            .where(Route.status != "cancelled")
            .group_by(Organization.path)
            .tuples()
        )

    return ctx.remember(("diagnostics.routes", tuple(ctx.subtrees)), read)


def _completed_grouped(ctx, paths):
    return {p: (done, total) for p, (total, done) in by_path(_route_rows(ctx), paths).items()}


DIAGNOSED, ROUTED, COURSED = 1, 2, 3
_diagnosed_grouped = _share_of_staff(DIAGNOSED)
_routed_grouped = _share_of_staff(ROUTED)
_coursed_grouped = _share_of_staff(COURSED)

INDICATORS = [
    {
        "code": "diagnostics_diagnosed_share",
        "title": "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "unit": "share",
        "compute_grouped": _diagnosed_grouped,
        "target": 60,
        "direction": "at_least",
        "description": "Знаменатель — работающие педагогические работники открытых "
        "организаций; числитель — те из них, у кого есть результат любой диагностической "
        "процедуры с датой в периоде (показатель 2 Клина: не менее 60 %).",
    },
    {
        "code": "diagnostics_route_share",
        "title": "Доля педагогов, для которых разработаны ИОМ",
        "unit": "share",
        "compute_grouped": _routed_grouped,
        "target": 60,
        "direction": "at_least",
        "description": "Знаменатель — работающие педагогические работники открытых "
        "организаций; числитель — те из них, у кого есть индивидуальный образовательный "
        "маршрут (кроме отменённых) (показатель 8 Клина: не менее 60 %).",
    },
    {
        "code": "diagnostics_routes_completed",
        "title": "Доля успешно реализованных ИОМ",
        "unit": "share",
        "compute_grouped": _completed_grouped,
        "target": 80,
        "direction": "at_least",
        "description": "Знаменатель — маршруты (кроме отменённых) работающих педагогов "
        "открытых организаций; числитель — те из них, что завершены (все шаги выполнены) "
        "(показатель 8 Клина: 80 %).",
    },
    {
        "code": "diagnostics_course_share",
        "title": "Доля педагогов, освоивших программы ДПП из федерального реестра за год",
        "unit": "share",
        "compute_grouped": _coursed_grouped,
        "target": 30,
        "direction": "at_least",
        "description": "Знаменатель — работающие педагогические работники открытых "
        "организаций; числитель — те из них, кто в году периода выполнил шаг маршрута «курсы» "
        "с программой из федерального реестра ДПП (показатель 3 Клина: не менее 30 % в год).",
    },
]
