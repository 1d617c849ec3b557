"""Pages of a school coordinator and a methodist over their staff: where to look
(the index), results a page at a time, and low results without a route."""

from flask import abort, g, render_template, request
from marshmallow import ValidationError

from core import activation
from core.api import scoping
from core.schemas.base import PageArgs
from plugins.diagnostics import reads
from plugins.diagnostics.api.views import results_view
from plugins.diagnostics.low_results import low_without_route
from plugins.diagnostics.pages import bp
from plugins.diagnostics.pages._shell import login_required
from plugins.diagnostics.pages.labels import LABELS
from plugins.diagnostics.pages.nav import enabled_under, reachable
from plugins.diagnostics.personal import record_read


def organization(org_id):
    """The organisation of the caller's scope (the guard has checked the block runs in it)."""
    return scoping.organization(org_id, "diagnostics.results.read")


@bp.route("/")
@activation.for_own_scopes
@login_required
def index():
    orgs = reachable(g.principal, "diagnostics.results.read")
    if not orgs:
        abort(404)
    return render_template("diagnostics/index.html", orgs=orgs)


@bp.route("/organizations/<int:org_id>/results")
@activation.on_under("org_id")  # a region or hub lists where it runs
@login_required
def results(org_id):
    """Results of the staff under the organisation, paginated like the API (the read of
    each person on the page is logged)."""
    org = organization(org_id)
    try:
        args = PageArgs().load(request.args)
    except ValidationError:
        abort(400)
    page = reads.results_under(org, args)
    page["items"] = results_view(page["items"])
    pages = max(1, -(-page["total"] // page["per_page"]))
    return render_template("diagnostics/results.html", org=org, page=page, pages=pages, **LABELS)


@bp.route("/organizations/<int:org_id>/low")
@activation.on_under("org_id")  # a region or hub lists where it runs
@login_required
def low(org_id):
    """Latest result low in an area and no route: build one from the latest deficits."""
    org = organization(org_id)
    rows = results_view(low_without_route(enabled_under(org)))
    record_read("diagnostics_results", [r.staff_id for r in rows])
    return render_template("diagnostics/low.html", org=org, rows=rows, **LABELS)
