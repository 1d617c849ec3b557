"""A teacher's own pages: «Мои результаты» and «Мой маршрут» (mark a step done)."""

from flask import abort, g, redirect, render_template, request, url_for

from core import activation
from core.api.auth import current
from plugins.diagnostics import reads
from plugins.diagnostics import routes as route_logic
from plugins.diagnostics.api.views import results_view, route_view
from plugins.diagnostics.models import Step
from plugins.diagnostics.pages import bp
from plugins.diagnostics.pages._shell import login_required
from plugins.diagnostics.pages.forms import StepDoneForm
from plugins.diagnostics.pages.labels import LABELS, by_area
from plugins.diagnostics.pages.nav import own_staff


def _me():
    """The signed-in teacher's staff record: 403 for someone who is not a teacher, 404 where
    the block is off at the teacher's organisation."""
    if not g.principal.staff_ids:
        abort(403)
    staff = own_staff(g.principal)
    if staff is None:
        abort(404)
    return staff


@bp.route("/my/results")
@activation.for_own_scopes
@login_required
def my_results():
    staff = _me()
    results = results_view(reads.results_of(staff))
    return render_template(
        "diagnostics/my_results.html", staff=staff, areas=by_area(results), **LABELS
    )


def _current(routes):
    """The route the teacher works on: the newest one not cancelled."""
    return next((r for r in routes if r.status != "cancelled"), None)


def _route_page(staff, *, form=None, form_step=None, status=200):
    route = _current(reads.routes_of(staff))
    if route is not None:
        route_view(route)
    return render_template(
        "diagnostics/my_route.html",
        staff=staff,
        route=route,
        form=form,
        form_step=form_step,
        **LABELS,
    ), status


@bp.route("/my/route")
@activation.for_own_scopes
@login_required
def my_route():
    return _route_page(_me())


@bp.route("/my/steps/<int:step_id>/done", methods=["POST"])
@login_required
def mark_step_done(step_id):
    """Done with evidence: the same ``update_step`` the API's PATCH /steps/{id} calls."""
    staff = _me()
    step = Step.get_or_none(Step.id == step_id)
    if step is None:
        abort(404)
    route, owner = reads.route_for(step.route_id, write=True)
    if owner.id != staff.id:
        abort(404)
    form = StepDoneForm(request.form)
    if not form.validate():
        return _route_page(staff, form=form, form_step=step.id, status=422)
    try:
        route_logic.update_step(
            step, {"status": "done", "evidence": form.evidence.data.strip()}, user=current().user
        )
    except route_logic.RouteProblem as problem:
        form.evidence.errors = [str(problem)]
        return _route_page(staff, form=form, form_step=step.id, status=problem.status)
    return redirect(url_for("diagnostics_pages.my_route", done=step.id) + f"#step-{step.id}")
