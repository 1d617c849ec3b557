"""The regional operator's catalogues: deficit topics by area (add, rename, archive) and
courses (add, edit).  Thresholds and the load cap live on the core's block-settings page."""

from flask import redirect, render_template, request, url_for

from core import activation
from core.api.errors import ApiError
from plugins.diagnostics import catalogue_edits as edits
from plugins.diagnostics.models import Course
from plugins.diagnostics.pages import bp
from plugins.diagnostics.pages._shell import login_required
from plugins.diagnostics.pages.forms import CourseForm, DeficitForm, DeficitTitleForm
from plugins.diagnostics.pages.labels import LABELS
from plugins.diagnostics.settings import deficits_of

NOTICES = {"saved": "Изменения сохранены."}


def _region(region_id):
    return edits.region_for(region_id, edits.EDIT_PERMISSION)


def _course_form(region, formdata=None, course=None):
    form = CourseForm(formdata, obj=course)
    form.deficits.choices = [
        (d.id, d.title)
        for d in deficits_of(region.id)
        if d.active or (course and d.id in course.deficits)
    ]
    return form


def _page(region, *, failed=None, form=None, status=200):
    """``failed``: which form the errors belong to, ("deficit"|"course", id or None)."""
    deficits = list(deficits_of(region.id))
    courses = list(Course.select().where(Course.region == region).order_by(Course.title, Course.id))
    return render_template(
        "diagnostics/catalogue.html",
        region=region,
        deficits=deficits,
        courses=[(c, _course_form(region, course=c)) for c in courses],
        new_deficit=form if failed == ("deficit", None) else DeficitForm(),
        new_course=form if failed == ("course", None) else _course_form(region),
        failed=failed,
        form=form,
        notice=NOTICES.get(request.args.get("done", "")),
        **LABELS,
    ), status


def _refused(form, error: ApiError):
    """Field messages of the domain's refusal onto the form's fields."""
    for name, messages in error.fields.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    if not error.fields:
        form.form_errors.append(error.message)


def _saved(region):
    return redirect(url_for("diagnostics_pages.catalogue", region_id=region.id, done="saved"))


# The region names the subtree: 404 unless the block is on somewhere under it.
CATALOGUE = activation.on_under("region_id")


@bp.route("/regions/<int:region_id>/catalogue")
@CATALOGUE
@login_required
def catalogue(region_id):
    return _page(_region(region_id))


@bp.route("/regions/<int:region_id>/deficits", methods=["POST"])
@CATALOGUE
@login_required
def add_deficit(region_id):
    region = _region(region_id)
    form = DeficitForm(request.form)
    if not form.validate():
        return _page(region, failed=("deficit", None), form=form, status=422)
    try:
        edits.add_deficit(region, {"area": form.area.data, "title": form.title.data.strip()})
    except ApiError as error:
        _refused(form, error)
        return _page(region, failed=("deficit", None), form=form, status=error.code)
    return _saved(region)


@bp.route("/regions/<int:region_id>/deficits/<int:deficit_id>", methods=["POST"])
@CATALOGUE
@login_required
def change_deficit(region_id, deficit_id):
    """Rename (a title) or archive / restore (``active`` "0" / "1")."""
    region = _region(region_id)
    deficit = edits.find_deficit(region, deficit_id)
    if "active" in request.form:
        edits.change_deficit(region, deficit, {"active": request.form["active"] == "1"})
        return _saved(region)
    form = DeficitTitleForm(request.form)
    failed = ("deficit", deficit.id)
    if not form.validate():
        return _page(region, failed=failed, form=form, status=422)
    try:
        edits.change_deficit(region, deficit, {"title": form.title.data.strip()})
    except ApiError as error:
        _refused(form, error)
        return _page(region, failed=failed, form=form, status=error.code)
    return _saved(region)


def _save_course(region, course=None):
    form = _course_form(region, request.form, course)
    failed = ("course", course.id if course else None)
    if not form.validate():
        return _page(region, failed=failed, form=form, status=422)
    try:
        if course is None:
            edits.add_course(region, form.values())
        else:
            edits.change_course(region, course, form.values())
    except ApiError as error:
        _refused(form, error)
        return _page(region, failed=failed, form=form, status=error.code)
    return _saved(region)


@bp.route("/regions/<int:region_id>/courses", methods=["POST"])
@CATALOGUE
@login_required
def add_course(region_id):
    return _save_course(_region(region_id))


@bp.route("/regions/<int:region_id>/courses/<int:course_id>", methods=["POST"])
@CATALOGUE
@login_required
def change_course(region_id, course_id):
    region = _region(region_id)
    return _save_course(region, edits.find_course(region, course_id))
