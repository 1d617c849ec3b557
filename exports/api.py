"""Exports, jobs and indicators: /api/v1/exports, /api/v1/jobs, /api/v1/indicators."""

import os

from flask import after_this_request, send_file

from core import clock
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.plugin_access import registry
from exports import indicators
from exports.context import ExportContext, parse_period
from exports.indicator_report import report, units
from exports.models import ExportJob
from exports.running import ExportRefused, filename, offered, prepare, produce, temporary_path
from exports.schemas import (
    ExportListQuery,
    ExportListSchema,
    ExportQuery,
    IndicatorQuery,
    IndicatorReportSchema,
    JobSchema,
)
from exports.targets import for_context

blp = Blueprint("exports", __name__, url_prefix="/api/v1", description="Выгрузки и показатели")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refused(error: ExportRefused):
    return ApiError(error.status, error.message, fields={error.field: [error.message]})


def _prepare(code, args):
    principal = current()
    scope = scoping.organization(args["scope"], "export.run")
    try:
        return prepare(
            code,
            scope,
            registry(),
            period=args.get("period"),
            campaign_id=args.get("campaign"),
            user=principal.user,
        )
    except ExportRefused as error:
        raise _refused(error) from None


@blp.route("/exports")
@blp.arguments(ExportListQuery, location="query")
@blp.response(200, ExportListSchema)
def list_exports(args):
    """Exports available at the scope: the core's and those of blocks switched on there."""
    scope = scoping.organization(args["scope"], "export.run")
    return {
        "items": [
            {**declaration, "needs": declaration.get("needs", []), "plugin": owner}
            for declaration, owner in offered(scope, registry())
        ]
    }


@blp.route("/exports/<code>")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
def download(args, code):
    """Build the workbook now and send it (use jobs for very large exports)."""
    declaration, ctx = _prepare(code, args)
    path = temporary_path()

    @after_this_request
    def _cleanup(response):
        response.call_on_close(lambda: os.path.exists(path) and os.remove(path))
        return response

    produce(declaration, ctx, path, registry())
    return send_file(
        path, mimetype=XLSX, as_attachment=True, download_name=filename(declaration, ctx)
    )


@blp.route("/exports/<code>/jobs", methods=["POST"])
@blp.arguments(ExportQuery, location="query")
@blp.response(202, JobSchema)
def start_job(args, code):
    """Queue the export for the worker; poll GET /api/v1/jobs/{id}."""
    from exports.queue import start_export

    declaration, ctx = _prepare(code, args)
    return start_export(
        declaration,
        ctx,
        period=args.get("period"),
        campaign_id=args.get("campaign"),
        user=current().user,
    )


def _job(job_id) -> ExportJob:
    from exports.queue import own_job

    job = own_job(job_id, current().user)
    if job is None:
        raise ApiError(404)
    return job


@blp.route("/jobs/<int:job_id>")
@blp.response(200, JobSchema)
def job_state(job_id):
    """State, rows done (of total when known) and the error of a failed job."""
    return _job(job_id)


@blp.route("/jobs/<int:job_id>/file")
@blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
def job_file(job_id):
    job = _job(job_id)
    from exports.queue import file_ready

    if not file_ready(job):
        raise ApiError(409, "Файл ещё не готов.", code="job_not_done")
    return send_file(
        job.file_path, mimetype=XLSX, as_attachment=True, download_name=f"{job.code}-{job.id}.xlsx"
    )


@blp.route("/indicators")
@blp.arguments(IndicatorQuery, location="query")
@blp.response(200, IndicatorReportSchema)
def indicator_report(args):
    """For the scope and each of its units: value, numerator, denominator, target, status.

    The number of database queries does not depend on the number of units.
    """
    scope = scoping.organization(args["scope"], "indicator.read")
    period = args["period"] or str(clock.today(scope).year)
    try:
        start, end, _, label = parse_period(period)
    except ValueError as error:
        raise ApiError(422, fields={"period": [str(error)]}) from None
    declared = indicators.declarations(registry(), scope)
    rows = [
        {"organization_id": org.id, "name": org.name, "kind": org.kind, "values": values}
        for org, values in report(
            declared,
            scope,
            units(scope, args["breakdown"]),
            period_start=start,
            period_end=end,
            period_label=label,
            user=current().user,
        )
    ]
    region_ctx = ExportContext(scope=scope, period_start=start, period_end=end)
    return {
        "period": period,
        "period_label": label,
        "indicators": [
            {
                "code": d["code"],
                "title": d["title"],
                "unit": d["unit"],
                "direction": d.get("direction", "at_least"),
                "description": d.get("description", ""),
                "plugin": owner,
                **dict(zip(("target", "target_source"), for_context(d, region_ctx), strict=True)),
            }
            for d, owner in declared
        ],
        "rows": rows,
    }
