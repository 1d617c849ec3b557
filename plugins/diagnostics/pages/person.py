"""One person's diagnostics for a coordinator or a methodist: results, routes, support
proposals with their reasons; build a route from the latest deficits, accept a proposal."""

from flask import abort, g, redirect, render_template, request, url_for

from core.api.auth import current
from plugins.diagnostics import reads, support
from plugins.diagnostics import routes as route_logic
from plugins.diagnostics.api.views import results_view, route_view
from plugins.diagnostics.pages import bp
from plugins.diagnostics.pages._shell import login_required
from plugins.diagnostics.pages.forms import AcceptForm, RouteForm
from plugins.diagnostics.pages.labels import LABELS, by_area
from plugins.diagnostics.personal import ASSIGNED, FULL, access, staff_member

NOTICES = {
    "route": "Маршрут построен по дефицитам последних результатов.",
    "accepted": "Предложение принято: шаг добавлен в маршрут.",
}


def _colleague(staff_id, *, write=False):
    """A staff member the caller sees in full (a coordinator's, a methodist's); an expert
    and the teacher have their own pages."""
    staff = staff_member(staff_id)
    if access(staff, write=write) != FULL:
        abort(403)
    return staff


def _place(form, error):
    """The domain's refusal next to the field it names."""
    name = "target" if error.field in ("staff_id", "course_id") else error.field
    field = getattr(form, name, None) if name in form._fields else None
    if field is None:
        form.form_errors.append(str(error))
    else:
        field.errors = [*field.errors, str(error)]


def _page(staff, *, route_form=None, accept_form=None, status=200):
    results = results_view(reads.results_of(staff))
    routes = [route_view(r) for r in reads.routes_of(staff)]
    may_accept = g.principal.can("diagnostics.support.accept", staff.organization.path)
    return render_template(
        "diagnostics/person.html",
        staff=staff,
        areas=by_area(results),
        routes=routes,
        has_active=any(r.status == "active" for r in routes),
        offer=support.offer(staff),
        may_accept=may_accept,
        route_form=route_form or RouteForm(),
        accept_form=accept_form,
        notice=NOTICES.get(request.args.get("done", "")),
        **LABELS,
    ), status


@bp.route("/staff/<int:staff_id>")
@login_required
def person(staff_id):
    return _page(_colleague(staff_id))


@bp.route("/staff/<int:staff_id>/route", methods=["POST"])
@login_required
def build_route(staff_id):
    """The API's create-route function, from the deficits of the latest results."""
    staff = staff_member(staff_id)
    if access(staff, write=True) == ASSIGNED:
        abort(403)
    form = RouteForm(request.form)
    if not form.validate():
        return _page(staff, route_form=form, status=422)
    try:
        route_logic.create(staff, note=form.note.data or "", user=current().user)
    except route_logic.RouteProblem as error:
        form.form_errors.append(str(error))
        return _page(staff, route_form=form, status=error.status)
    return redirect(url_for("diagnostics_pages.person", staff_id=staff.id, done="route"))


@bp.route("/staff/<int:staff_id>/support", methods=["POST"])
@login_required
def accept_support(staff_id):
    """The API's accept function: a route step (and the route if none), and for a mentor
    the core's ``support_proposal_accepted`` event."""
    staff = staff_member(staff_id)
    access(staff)
    support.check_reviewer(staff)
    form = AcceptForm(request.form)
    if not form.validate():
        return _page(staff, accept_form=form, status=422)
    try:
        support.accept(staff, form.choice(), user=current().user)
    except route_logic.RouteProblem as error:
        _place(form, error)
        return _page(staff, accept_form=form, status=error.status)
    return redirect(url_for("diagnostics_pages.person", staff_id=staff.id, done="accepted"))
