"""Spreadsheet imports through the API: /api/v1/imports/{organizations,staff}."""

from flask import Response, jsonify, url_for

from core import import_jobs
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.importing import templates
from core.importing.readers import ReadError, read
from core.importing.result import ImportFailed
from core.schemas.imports import (
    ImportFileSchema,
    ImportFormSchema,
    ImportJobSchema,
    ImportJobStartedSchema,
    ImportResultSchema,
)

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports", description="Импорт из Excel")

RUNNERS = import_jobs.RUNNERS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_upload(upload, run, large=None):
    """Read an uploaded xlsx/csv and ``run(sheet)`` an all-or-nothing import on it;
    an unreadable file or any bad row answers 422 listing every problem.  A file of more
    rows than the threshold goes to ``large(filename, data)`` (a background job) instead,
    whose answer is returned as it is."""
    if not hasattr(upload, "read"):
        raise ApiError(422, fields={"file": ["Ожидался файл."]})
    name, data = upload.filename or "", upload.read()
    try:
        if large is not None and import_jobs.is_large(name, data):
            return large(name, data)
        return run(read(name, data)).as_dict()
    except ReadError as error:
        raise ApiError(422, fields={"file": [str(error)]}) from None
    except ImportFailed as failure:
        raise ApiError(
            422,
            f"Файл не импортирован: найдено ошибок — {len(failure.problems)}. "
            "Исправьте их и загрузите файл снова.",
            code="import_failed",
            fields={"file": [f"{p.row}: {p.column}: {p.message}" for p in failure.problems]},
            problems=[p.as_dict() for p in failure.problems],
        ) from None


def _run(kind, form, files):
    principal = current()
    runner, permission = RUNNERS[kind]
    scoping.require("import.run", scoping.organization(form["scope_id"]).path)
    scope = scoping.organization(form["scope_id"], permission)

    def large(filename, data):
        job = import_jobs.start(kind, scope, principal.user, filename, data)
        answer = jsonify(ImportJobStartedSchema().dump(job))
        answer.status_code = 202
        answer.headers["Location"] = url_for("imports.import_job", job_id=job.id)
        return answer

    return run_upload(files["file"], lambda sheet: runner(sheet, scope, user=principal.user), large)


@blp.route("/organizations", methods=["POST"])
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
@blp.alt_response(202, schema=ImportJobStartedSchema, description="Большой файл: задание")
def import_organizations(form, files):
    """Create or update organisations from xlsx/csv; any bad row → nothing imported.
    A file of more rows than METODNET_IMPORT_JOB_ROWS answers 202 with a job to poll."""
    return _run("organizations", form, files)


@blp.route("/staff", methods=["POST"])
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
@blp.alt_response(202, schema=ImportJobStartedSchema, description="Большой файл: задание")
def import_staff(form, files):
    """Create or update staff from xlsx/csv; any bad row → nothing imported.
    A file of more rows than METODNET_IMPORT_JOB_ROWS answers 202 with a job to poll."""
    return _run("staff", form, files)


@blp.route("/jobs/<int:job_id>")
@blp.response(200, ImportJobSchema)
def import_job(job_id):
    """A large import's state, rows checked of total, and its report: the counts when done,
    every row problem when it failed (nothing was imported then)."""
    job = import_jobs.visible(job_id, current())
    if job is None:
        raise ApiError(404)
    return job


@blp.route("/templates/<kind>")
@blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
def download_template(kind):
    """A blank xlsx with the expected Russian headers and an example row."""
    current()
    if kind not in templates.KINDS:
        raise ApiError(404)
    return Response(
        templates.template(kind),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'},
    )
