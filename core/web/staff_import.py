"""«Загрузить из файла»: the roster's all-or-nothing import of an xlsx or csv file, with the
row-by-row report of what is wrong as a table, and the blank template to download.

The upload goes through the API's own ``run_upload`` with the staff importer — the same
file checks and limits, the same rights (``import.run`` and ``staff.write`` on the
organisation), the same audit; a file with any bad row imports nothing.  A file of more
rows than the threshold becomes a background job (core.import_jobs): its page shows the
progress, refreshing itself every 2 s (no script), then the same result or error table.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from wtforms import FileField

from core import import_jobs
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

            def large(filename, data):
                job = import_jobs.start("staff", org, user, filename, data)
                return redirect(url_for(".job", org_id=org.id, job_id=job.id))

            try:
                result = run_upload(
                    sent, lambda sheet: staff_import.run(sheet, org, user=user), large
                )
            except ApiError as refused:
                if refused.problems:
                    problems = refused.problems
                else:
                    form.file.errors.extend(
                        message for messages in refused.fields.values() for message in messages
                    )
            else:
                if not isinstance(result, dict):
                    return result  # the job's page
                flash(
                    f"Файл загружен: добавлено {result['created']}, обновлено "
                    f"{result['updated']}, без изменений {result['unchanged']}."
                )
                return redirect(url_for("staff_pages.roster", org_id=org.id))
    return render_template("staff/import.html", org=org, form=form, problems=problems), status


@bp.route("/organizations/<int:org_id>/import/jobs/<int:job_id>")
@login_required
def job(org_id, job_id):
    """A large upload's progress (the page reloads itself while the job runs), then its
    outcome: the counts, or every row problem (nothing imported)."""
    org = _scope(org_id)
    found = import_jobs.visible(job_id, g.principal, kind="staff")
    if found is None or found.scope_id != org.id:
        abort(404)
    report = found.report or {}
    return render_template(
        "staff/import_job.html",
        org=org,
        job=found,
        problems=report.get("problems", []),
        result=None if "problems" in report else report,
        running=found.state in ("queued", "running"),
    )


@bp.route("/import/template.xlsx")
@login_required
def template():
    """The blank file with the Russian headers, an example row and the allowed values."""
    return Response(
        templates.template("staff"),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )
