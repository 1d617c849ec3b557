"""The block's exports: results with deficits, the register of routes, deficits by
municipality × area (a heat map), the methodical active, and teachers with low results
and no route (the list a methodist acts on)."""

from collections import Counter

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from plugins.diagnostics.active import loads
from plugins.diagnostics.catalogue import (
    ACTIVE_STATUSES,
    AREAS,
    LEVELS,
    PROCEDURES,
    ROUTE_STATUSES,
)
from plugins.diagnostics.low_results import low_without_route
from plugins.diagnostics.models import ActiveMember, Result, Route, Step
from plugins.diagnostics.routes import progress
from plugins.diagnostics.settings import deficit_titles, settings_for

LEVEL_NAMES = ["region", "hub", "municipality", "organization"]


def _of_staff(query, model, ctx):
    return (
        query.join(StaffMember, on=(model.staff == StaffMember.id))
        .join(Organization)
        .where(in_scopes(Organization.path, ctx.subtrees))
    )


def _results(ctx):
    query = _of_staff(Result.select(Result, StaffMember, Organization), Result, ctx)
    if ctx.period_start and ctx.period_end:
        query = query.where(Result.date.between(ctx.period_start, ctx.period_end))
    return query


def _result_rows(ctx):
    results = list(
        _results(ctx).order_by(Organization.path, StaffMember.full_name, Result.date, Result.id)
    )
    titles = deficit_titles({d for r in results for d in r.deficits})
    for result in results:
        yield [
            result.staff.full_name,
            result.staff.organization.name,
            result.staff.position,
            PROCEDURES[result.procedure],
            result.date,
            AREAS[result.area],
            float(result.score),
            LEVELS[result.level],
            "; ".join(titles.get(d, "") for d in result.deficits),
        ]


def _route_rows(ctx):
    routes = list(
        _of_staff(Route.select(Route, StaffMember, Organization), Route, ctx).order_by(
            Organization.path, StaffMember.full_name, Route.id
        )
    )
    steps = {}
    for step in Step.select().where(Step.route.in_([r.id for r in routes] or [0])):
        steps.setdefault(step.route_id, []).append(step)
    titles = deficit_titles({d for r in routes for d in r.deficits})
    for route in routes:
        done = progress(steps.get(route.id, []))
        yield [
            route.staff.full_name,
            route.staff.organization.name,
            route.created_at,
            ROUTE_STATUSES[route.status],
            "; ".join(titles.get(d, "") for d in route.deficits),
            done["steps"],
            done["done"],
            done["percent"] / 100,
            route.completed_at,
        ]


def _municipalities(ctx):
    """The municipalities under the scope (or the one holding it), by name."""
    scope = ctx.scope
    if scope.kind in ("region", "hub"):
        return list(
            Organization.select()
            .where(in_subtree(Organization.path, scope.path), Organization.kind == "municipality")
            .order_by(Organization.name)
        )
    ids = [int(p) for p in scope.path.strip("/").split("/")]
    return list(
        Organization.select().where(Organization.id.in_(ids), Organization.kind == "municipality")
    )


def _heat_rows(ctx):
    """Staff with a deficit found in each area (latest result per person and area)."""
    latest = {}
    for result in _results(ctx).order_by(Result.date, Result.id):
        latest[(result.staff_id, result.area)] = (result.staff.organization.path, result)
    counts = Counter()
    for path, result in latest.values():
        if result.deficits:
            counts[(path, result.area)] += 1
    for municipality in _municipalities(ctx):
        row = [municipality.name]
        for area in AREAS:
            row.append(
                sum(
                    n
                    for (path, a), n in counts.items()
                    if a == area and path.startswith(municipality.path)
                )
            )
        yield row


def _active_rows(ctx):
    members = list(
        _of_staff(
            ActiveMember.select(ActiveMember, StaffMember, Organization), ActiveMember, ctx
        ).order_by(Organization.path, StaffMember.full_name, ActiveMember.area)
    )
    current = loads({m.staff_id for m in members})
    cap = settings_for(ctx.scope.region_id)["load_cap"]
    for member in members:
        yield [
            member.staff.full_name,
            member.staff.organization.name,
            AREAS[member.area],
            ACTIVE_STATUSES[member.status],
            float(member.result.score) if member.result_id and member.result else None,
            current.get(member.staff_id, 0),
            cap,
        ]


def _low_without_route_rows(ctx):
    """Latest result in an area is low, and the person has no route (active or completed)."""
    low = low_without_route(ctx.subtrees)
    titles = deficit_titles({d for r in low for d in r.deficits})
    for result in low:
        yield [
            result.staff.full_name,
            result.staff.organization.name,
            result.staff.position,
            AREAS[result.area],
            float(result.score),
            result.date,
            "; ".join(titles.get(d, "") for d in result.deficits),
        ]


PERSON = [
    {"header": "ФИО", "width": 34},
    {"header": "Организация", "width": 40},
]

EXPORTS = [
    {
        "code": "diagnostics_results",
        "personal_data": True,
        "title": "Результаты диагностики профессиональных дефицитов",
        "levels": LEVEL_NAMES,
        "sheets": [
            {
                "name": "Результаты",
                "columns": [
                    *PERSON,
                    {"header": "Должность", "width": 20},
                    {"header": "Процедура", "width": 16},
                    {"header": "Дата", "width": 12, "type": "date"},
                    {"header": "Область компетенций", "width": 30},
                    {"header": "Балл, %", "width": 9, "type": "number"},
                    {"header": "Уровень", "width": 12},
                    {"header": "Выявленные дефициты", "width": 60},
                ],
                "rows": _result_rows,
            }
        ],
    },
    {
        "code": "diagnostics_routes_register",
        "personal_data": True,
        "title": "Реестр индивидуальных образовательных маршрутов",
        "levels": LEVEL_NAMES,
        "sheets": [
            {
                "name": "ИОМ",
                "columns": [
                    *PERSON,
                    {"header": "Составлен", "width": 16, "type": "datetime"},
                    {"header": "Состояние", "width": 14},
                    {"header": "Дефициты", "width": 60},
                    {"header": "Шагов", "width": 8, "type": "integer"},
                    {"header": "Выполнено", "width": 10, "type": "integer"},
                    {"header": "Прогресс", "width": 10, "type": "percent"},
                    {"header": "Завершён", "width": 16, "type": "datetime"},
                ],
                "rows": _route_rows,
            }
        ],
    },
    {
        "code": "diagnostics_deficits_map",
        "title": "Дефициты по муниципалитетам и областям компетенций",
        "levels": ["region", "hub", "municipality"],
        "sheets": [
            {
                "name": "Дефициты",
                "columns": [
                    {"header": "Муниципалитет", "width": 36},
                    *[
                        {"header": title, "width": 18, "type": "integer", "heatmap": True}
                        for title in AREAS.values()
                    ],
                ],
                "rows": _heat_rows,
            }
        ],
    },
    {
        "code": "diagnostics_active",
        "personal_data": True,
        "title": "Методический актив",
        "levels": LEVEL_NAMES,
        "sheets": [
            {
                "name": "Актив",
                "columns": [
                    *PERSON,
                    {"header": "Область компетенций", "width": 30},
                    {"header": "Статус", "width": 14},
                    {"header": "Балл, %", "width": 9, "type": "number"},
                    {"header": "Нагрузка", "width": 10, "type": "integer"},
                    {"header": "Предел нагрузки", "width": 10, "type": "integer"},
                ],
                "rows": _active_rows,
            }
        ],
    },
    {
        "code": "diagnostics_low_without_route",
        "personal_data": True,
        "title": "Педагоги с низким результатом без маршрута",
        "levels": LEVEL_NAMES,
        "sheets": [
            {
                "name": "Без маршрута",
                "columns": [
                    *PERSON,
                    {"header": "Должность", "width": 20},
                    {"header": "Область компетенций", "width": 30},
                    {"header": "Балл, %", "width": 9, "type": "number"},
                    {"header": "Дата", "width": 12, "type": "date"},
                    {"header": "Дефициты", "width": 60},
                ],
                "rows": _low_without_route_rows,
            }
        ],
    },
]
