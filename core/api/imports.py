"""Spreadsheet imports through the API: /api/v1/imports/{organizations,staff}."""

from flask import Response

from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.importing import organizations, staff, templates
from core.importing.readers import ReadError, read
from core.importing.result import ImportFailed
from core.schemas.imports import ImportFileSchema, ImportFormSchema, ImportResultSchema

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports", description="Импорт из Excel")

RUNNERS = {
    "organizations": (organizations.run, "organization.write"),
    "staff": (staff.run, "staff.write"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_upload(upload, run) -> dict:
    """Read an uploaded xlsx/csv and ``run(sheet)`` an all-or-nothing import on it;
    an unreadable file or any bad row answers 422 listing every problem."""
    if not hasattr(upload, "read"):
        raise ApiError(422, fields={"file": ["Ожидался файл."]})
    try:
        return run(read(upload.filename or "", upload.read())).as_dict()
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
    return run_upload(files["file"], lambda sheet: runner(sheet, scope, user=principal.user))


@blp.route("/organizations", methods=["POST"])
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
def import_organizations(form, files):
    """Create or update organisations from xlsx/csv; any bad row → nothing imported."""
    return _run("organizations", form, files)


@blp.route("/staff", methods=["POST"])
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportResultSchema)
def import_staff(form, files):
    """Create or update staff from xlsx/csv; any bad row → nothing imported."""
    return _run("staff", form, files)


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
