"""Shape results and routes for responses (titles, progress, re-diagnostics)."""

from plugins.diagnostics.models import Step
from plugins.diagnostics.routes import progress, rediagnostics
from plugins.diagnostics.settings import deficit_titles


def results_view(results):
    titles = deficit_titles({d for r in results for d in r.deficits})
    for result in results:
        result.deficit_titles = [titles.get(d, "") for d in result.deficits]
    return results


def route_view(route, *, details=True):
    steps = list(Step.select().where(Step.route == route).order_by(Step.id))
    route.progress = progress(steps)
    titles = deficit_titles(route.deficits)
    route.deficit_titles = [titles.get(d, "") for d in route.deficits]
    if details:
        route.steps = steps
        route.rediagnostics = rediagnostics(route)
        for row in route.rediagnostics:
            results_view([r for r in (row["before"], row["after"]) if r is not None])
    return route
