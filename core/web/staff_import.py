"""«Загрузить из файла»: the roster's all-or-nothing import of an xlsx or csv file, with the
row-by-row report of what is wrong as a table, and the blank template to download.

The upload goes through the API's own ``run_upload`` with the staff importer — the same
file checks and limits, the same rights (``import.run`` and ``staff.write`` on the
organisation), the same audit; a file with any bad row imports nothing.
"""

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from wtforms import FileField

from core.api import scoping
from core.api.errors import ApiError
from core.api.imports import XLSX, run_upload
from core.importing import staff as staff_import
from core.importing import templates
from core.web.forms import PageForm
from core.web.session import login_required

bp = Blueprint("staff_import_pages", __name__, url_prefix="/staff", template_folder="templates")

TEMPLATE_NAME = "staff-template.xlsx"


class UploadForm(PageForm):
    file = FileField("Файл с работниками (xlsx или csv)")


def _scope(org_id):
    """The organisation, checked as the API's import checks it."""
    scoping.require("import.run", scoping.organization(org_id).path)
    return scoping.organization(org_id, "staff.write")


@bp.route("/organizations/<int:org_id>/import", methods=["GET", "POST"])
@login_required
def upload(org_id):
    org = _scope(org_id)
    form = UploadForm(request.form if request.method == "POST" else None)
    problems, status = [], 200
    if request.method == "POST":
        status = 422
        sent = request.files.get("file")
        if form.validate() and (sent is None or not sent.filename):
            form.file.errors.append("Выберите файл.")
        elif not form.errors:
            user = g.principal.user
            try:
                result = run_upload(sent, lambda sheet: staff_import.run(sheet, org, user=user))
            except ApiError as refused:
                if refused.problems:
                    problems = refused.problems
                else:
                    form.file.errors.extend(
                        message for messages in refused.fields.values() for message in messages
                    )
            else:
                flash(
                    f"Файл загружен: добавлено {result['created']}, обновлено "
                    f"{result['updated']}, без изменений {result['unchanged']}."
                )
                return redirect(url_for("staff_pages.roster", org_id=org.id))
    return render_template("staff/import.html", org=org, form=form, problems=problems), status


@bp.route("/import/template.xlsx")
@login_required
def template():
    """The blank file with the Russian headers, an example row and the allowed values."""
    return Response(
        templates.template("staff"),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )
