"""The block's indicators (seed 003: indicators 2, 3 and 8).

Each declares only "compute_grouped" (the engine derives the single-scope figures): one
grouped query per report (per organisation: active staff, diagnosed, with a route, with a
federal-register course done in the year), summed into the units' subtrees.
"""

import datetime as dt

from peewee import Case, fn

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from exports.indicators import by_path
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
    """(organisation path, active staff, diagnosed, with a route, with a course) rows."""

    def flag(ids):
        return fn.SUM(Case(None, [(StaffMember.id.in_(ids), 1)], 0))

    def read():
        return list(
            StaffMember.select(
                Organization.path,
                fn.COUNT(StaffMember.id),
                flag(_diagnosed_ids(ctx)),
                flag(_routed_ids()),
                flag(_course_ids(ctx)),
            )
            .join(Organization)
            .where(in_scopes(Organization.path, ctx.subtrees), StaffMember.active == True)  # noqa: E712
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
    """(organisation path, routes not cancelled, completed) rows of active staff."""

    def read():
        completed = fn.SUM(Case(None, [(Route.status == "completed", 1)], 0))
        return list(
            Route.select(Organization.path, fn.COUNT(Route.id), completed)
            .join(StaffMember)
            .join(Organization)
            .where(
                in_scopes(Organization.path, ctx.subtrees),
                StaffMember.active == True,  # noqa: E712
                Route.status != "cancelled",
            )
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
        "description": "Показатель 2 (Клин): не менее 60 %. Результат любой процедуры в периоде.",
    },
    {
        "code": "diagnostics_route_share",
        "title": "Доля педагогов, для которых разработаны ИОМ",
        "unit": "share",
        "compute_grouped": _routed_grouped,
        "target": 60,
        "direction": "at_least",
        "description": "Показатель 8: не менее 60 % педагогов имеют маршрут (кроме отменённых).",
    },
    {
        "code": "diagnostics_routes_completed",
        "title": "Доля успешно реализованных ИОМ",
        "unit": "share",
        "compute_grouped": _completed_grouped,
        "target": 80,
        "direction": "at_least",
        "description": "Показатель 8: 80 % маршрутов завершены (все шаги выполнены).",
    },
    {
        "code": "diagnostics_course_share",
        "title": "Доля педагогов, освоивших программы ДПП из федерального реестра за год",
        "unit": "share",
        "compute_grouped": _coursed_grouped,
        "target": 30,
        "direction": "at_least",
        "description": "Показатель 3: не менее 30 % в год; шаги «курсы» с программой из ФР ДПП.",
    },
]
