"""The diagnostics sections of a person's growth profile: the latest result in each
competence area with its level, and the current route (ИОМ) with its progress."""

from plugins.diagnostics.catalogue import AREAS, LEVELS, PROCEDURES, ROUTE_STATUSES
from plugins.diagnostics.models import Step
from plugins.diagnostics.routes import current_route, latest_results, progress


def _score(score) -> str:
    return f"{float(score):g}"


def _route_page(staff, principal) -> str:
    """The page a person reads a route on: the teacher's own, or the colleague's card."""
    if staff.id in principal.staff_ids:
        return "/diagnostics/my/route"
    return f"/diagnostics/staff/{staff.id}"


def sections(staff, principal) -> list[dict]:
    results = [
        {
            "label": AREAS.get(result.area, result.area),
            "value": f"{LEVELS.get(result.level, result.level)} уровень, балл "
            f"{_score(result.score)} ({PROCEDURES.get(result.procedure, '').lower()})",
            "date": result.date,
        }
        for area, result in sorted(latest_results(staff.id).items(), key=lambda kv: kv[0])
    ]
    found = [{"code": "diagnostics_results", "title": "Результаты диагностики", "items": results}]
    route = current_route(staff.id)
    if route is not None:
        done = progress(list(Step.select().where(Step.route == route)))
        found.append(
            {
                "code": "diagnostics_route",
                "title": "Индивидуальный образовательный маршрут",
                "items": [
                    {
                        "label": f"Маршрут: {ROUTE_STATUSES.get(route.status, route.status)}",
                        "value": f"выполнено шагов {done['done']} из {done['steps']} "
                        f"({_score(done['percent'])} %)",
                        "date": route.created_at.date(),
                        "href": _route_page(staff, principal),
                    }
                ],
            }
        )
    return found
