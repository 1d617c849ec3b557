"""The block's indicators (seed 003: indicators 2, 3 and 8)."""

import datetime as dt

from peewee import fn

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from plugins.diagnostics.models import Course, Result, Route, Step


def _paths(ctx):
    """Subtrees of the scope where the block is on (the engine fills ctx.enabled_paths)."""
    return ctx.enabled_paths if ctx.enabled_paths is not None else [ctx.scope.path]


def active_staff(ctx):
    return (
        StaffMember.select(StaffMember.id)
        .join(Organization)
        .where(in_scopes(Organization.path, _paths(ctx)), StaffMember.active == True)  # noqa: E712
    )


def _in_period(query, field, ctx):
    if ctx.period_start and ctx.period_end:
        query = query.where(field >= ctx.period_start, field <= ctx.period_end)
    return query


def diagnosed(ctx):
    """Staff with at least one result in the period (any procedure, any level)."""
    results = _in_period(Result.select(Result.staff), Result.date, ctx)
    return active_staff(ctx).where(StaffMember.id.in_(results))


def _diagnosed_share(ctx):
    return diagnosed(ctx).count(), active_staff(ctx).count()


def _routes(ctx):
    return (
        Route.select()
        .join(StaffMember)
        .join(Organization)
        .where(
            in_scopes(Organization.path, _paths(ctx)),
            StaffMember.active == True,  # noqa: E712
            Route.status != "cancelled",
        )
    )


def _route_share(ctx):
    with_route = _routes(ctx).select(fn.COUNT(fn.DISTINCT(Route.staff))).scalar()
    return with_route or 0, active_staff(ctx).count()


def _routes_completed(ctx):
    routes = _routes(ctx)
    return routes.where(Route.status == "completed").count(), routes.count()


def _course_share(ctx):
    """Staff who completed a course of the federal register in the period's year."""
    year = ctx.reference_year
    done = (
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
    staff = active_staff(ctx)
    return staff.where(StaffMember.id.in_(done)).count(), staff.count()


INDICATORS = [
    {
        "code": "diagnostics_diagnosed_share",
        "title": "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "unit": "share",
        "compute": _diagnosed_share,
        "target": 60,
        "direction": "at_least",
        "description": "Показатель 2 (Клин): не менее 60 %. Результат любой процедуры в периоде.",
    },
    {
        "code": "diagnostics_route_share",
        "title": "Доля педагогов, для которых разработаны ИОМ",
        "unit": "share",
        "compute": _route_share,
        "target": 60,
        "direction": "at_least",
        "description": "Показатель 8: не менее 60 % педагогов имеют маршрут (кроме отменённых).",
    },
    {
        "code": "diagnostics_routes_completed",
        "title": "Доля успешно реализованных ИОМ",
        "unit": "share",
        "compute": _routes_completed,
        "target": 80,
        "direction": "at_least",
        "description": "Показатель 8: 80 % маршрутов завершены (все шаги выполнены).",
    },
    {
        "code": "diagnostics_course_share",
        "title": "Доля педагогов, освоивших программы ДПП из федерального реестра за год",
        "unit": "share",
        "compute": _course_share,
        "target": 30,
        "direction": "at_least",
        "description": "Показатель 3: не менее 30 % в год; шаги «курсы» с программой из ФР ДПП.",
    },
]
