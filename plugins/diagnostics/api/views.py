"""Shape results and routes for responses (titles, progress, re-diagnostics)."""

from plugins.diagnostics.models import Step
from plugins.diagnostics.routes import progress, rediagnostics
from plugins.diagnostics.settings import deficit_titles


def results_view(results):
    titles = deficit_titles({d for r in results for d in r.deficits})
    for result in results:
        result.deficit_titles = [titles.get(d, "") for d in result.deficits]
    return results


def route_view(route):
    """One route in full: progress, steps, deficit titles and re-diagnostics."""
    steps = list(Step.select().where(Step.route == route).order_by(Step.id))
    route.progress = progress(steps)
    titles = deficit_titles(route.deficits)
    route.deficit_titles = [titles.get(d, "") for d in route.deficits]
    route.steps = steps
    route.rediagnostics = rediagnostics(route)
    for row in route.rediagnostics:
        results_view([r for r in (row["before"], row["after"]) if r is not None])
    return route


def routes_view(routes):
    """Routes of a list with their progress: steps and deficit titles read once for all."""
    steps = {}
    query = Step.select().where(Step.route.in_([r.id for r in routes] or [0])).order_by(Step.id)
    for step in query:
        steps.setdefault(step.route_id, []).append(step)
    titles = deficit_titles({d for r in routes for d in r.deficits})
    for route in routes:
        route.steps = steps.get(route.id, [])  # not the backref: no query per route
        route.progress = progress(route.steps)
        route.deficit_titles = [titles.get(d, "") for d in route.deficits]
    return routes
