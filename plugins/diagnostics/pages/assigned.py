"""An expert's page: the results assigned to them for checking and the routes they tutor."""

from flask import render_template

from core import activation
from plugins.diagnostics import reads
from plugins.diagnostics.api.views import results_view, routes_view
from plugins.diagnostics.pages import bp
from plugins.diagnostics.pages._shell import login_required
from plugins.diagnostics.pages.labels import LABELS


@bp.route("/assigned")
@activation.for_own_scopes
@login_required
def assigned():
    """The same reads as the API's /assigned/results and /assigned/routes (each logged)."""
    results = results_view(reads.assigned_results())
    routes = routes_view(reads.assigned_routes())
    return render_template("diagnostics/assigned.html", results=results, routes=routes, **LABELS)
