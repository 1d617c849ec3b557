"""The page «Выгрузки»: the exports that can be built for a scope (the core's, those of the
blocks switched on there, the consolidated workbook for a region or a hub) with their
parameters; «Скачать сейчас» streams the file, «Сформировать в фоне» queues a job whose page
shows its progress (refreshing itself, no script needed); «Мои выгрузки» lists the person's
jobs with their state and the reason of a failure, and serves a finished job's file.

The same functions and rules as the API: ``scoping.organization`` with ``export.run``,
``running.prepare`` (a wrong parameter is shown next to its field, nothing is produced),
``running.produce`` (written to the audit log, flagged when it lists people), and
``queue.start_export`` / ``queue.own_job`` (someone else's job answers 404).
"""

import os

from flask import (
    Blueprint,
    after_this_request,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from wtforms import SelectField, StringField

from core.api import scoping
from core.api.errors import ApiError
from core.models import JobLease, Organization
from core.models.organization import in_subtree
from core.plugin_access import registry
from core.web.forms import PageForm
from core.web.session import login_required
from exports import queue
from exports.models import JOB_STATES, ExportJob
from exports.pages.scopes import scope_choices, with_current
from exports.running import ExportRefused, filename, offered, prepare, produce, temporary_path
from forms.models import Campaign

bp = Blueprint("export_pages", __name__, url_prefix="/exports", template_folder="../templates")
PERMISSION = "export.run"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 20
REFRESH_S = 3
PERIOD_HELP = "ГГГГ, ГГГГ/ГГГГ, ГГГГ-ММ или ГГГГ-QN, например 2025 или 2024/2025"


class ExportForm(PageForm):
    period = StringField("Период")
    campaign = SelectField("Кампания", coerce=int, validate_choice=False)


def menu_links(principal) -> list[dict]:
    if not principal.scopes(PERMISSION):
        return []
    return [{"href": url_for("export_pages.index"), "label": "Выгрузки", "order": 70}]


def _scope(choices) -> Organization:
    wanted = request.values.get("scope", type=int)
    if wanted is None:
        if not choices:
            raise ApiError(403)
        wanted = choices[0].id
    return scoping.organization(wanted, PERMISSION)


def _campaigns(scope) -> list[Campaign]:
    """Campaigns under the scope or above it (those an export of the scope accepts)."""
    parts = scope.path.strip("/").split("/")
    above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    return list(
        Campaign.select(Campaign, Organization)
        .join(Organization)
        .where(in_subtree(Organization.path, scope.path) | Organization.path.in_(above))
        .order_by(Campaign.period_start.desc(), Campaign.id.desc())
        .limit(200)
    )


def _form(declaration, campaigns, formdata=None) -> ExportForm:
    form = ExportForm(formdata)
    form.campaign.choices = [(0, "— выберите —")] + [
        (c.id, f"{c.title} ({c.scope.name})") for c in campaigns
    ]
    return form


def _render(scope, choices, forms=None, status=200):
    campaigns = _campaigns(scope)
    items = []
    for declaration, owner in offered(scope, registry()):
        form = (forms or {}).get(declaration["code"]) or _form(declaration, campaigns)
        items.append({"declaration": declaration, "owner": owner, "form": form})
    return render_template(
        "exports/exports.html",
        scope=scope,
        scopes=with_current(choices, scope),
        items=items,
        period_help=PERIOD_HELP,
    ), status


@bp.route("")
@login_required
def index():
    choices = scope_choices(g.principal, PERMISSION)
    return _render(_scope(choices), choices)


def _stream(declaration, ctx):
    """The file now, as ``GET /api/v1/exports/{code}`` sends it."""
    path = temporary_path()

    @after_this_request
    def _cleanup(response):
        response.call_on_close(lambda: os.path.exists(path) and os.remove(path))
        return response

    produce(declaration, ctx, path, registry())
    return send_file(
        path, mimetype=XLSX, as_attachment=True, download_name=filename(declaration, ctx)
    )


@bp.route("/<code>", methods=["POST"])
@login_required
def run(code):
    choices = scope_choices(g.principal, PERMISSION)
    scope = _scope(choices)
    found = dict((d["code"], d) for d, _ in offered(scope, registry()))
    if code not in found:
        raise ApiError(404)
    form = _form(found[code], _campaigns(scope), request.form)
    if not form.validate():
        if form.csrf_token.errors:  # the session's CSRF token, checked again by the form
            raise ApiError(400)
        return _render(scope, choices, {code: form}, 422)  # e.g. a campaign that is no number
    period = (form.period.data or "").strip() or None
    campaign_id = form.campaign.data or None
    try:
        declaration, ctx = prepare(
            code, scope, registry(), period=period, campaign_id=campaign_id, user=g.principal.user
        )
    except ExportRefused as refused:
        field = getattr(form, refused.field, None)
        if field is None:
            raise ApiError(refused.status, refused.message) from None
        field.errors = [refused.message]
        return _render(scope, choices, {code: form}, 422)
    if request.form.get("action") == "job":
        job = queue.start_export(
            declaration, ctx, period=period, campaign_id=campaign_id, user=g.principal.user
        )
        return redirect(url_for("export_pages.job", job_id=job.id))
    return _stream(declaration, ctx)


@bp.route("/jobs")
@login_required
def jobs():
    """«Мои выгрузки»: the person's jobs, newest first, a page at a time."""
    page = max(request.args.get("page", 1, type=int), 1)
    query = (
        ExportJob.select(ExportJob, Organization)
        .join(Organization)
        .where(ExportJob.user == g.principal.user)
        .order_by(ExportJob.id.desc())
    )
    total = query.count()
    rows = list(query.paginate(page, PER_PAGE))
    return render_template(
        "exports/jobs.html",
        rows=rows,
        titles=_titles(),
        states=JOB_STATES,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
    )


def _titles() -> dict[str, str]:
    """Export code → title, for every export any block declares (a job keeps only its code)."""
    from exports.core_exports import CORE_EXPORTS
    from exports.running import CONSOLIDATED

    declared = [*CORE_EXPORTS, *registry().items("exports"), CONSOLIDATED]
    return {d["code"]: d["title"] for d in declared}


def _own(job_id) -> ExportJob:
    job = queue.own_job(job_id, g.principal.user)
    if job is None:
        raise ApiError(404)
    return job


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id):
    found = _own(job_id)
    lease = JobLease.get_or_none(JobLease.kind == queue.KIND, JobLease.ref_id == found.id)
    return render_template(
        "exports/job.html",
        job=found,
        title=_titles().get(found.code, found.code),
        state=JOB_STATES.get(found.state, found.state),
        lease=lease,
        ready=queue.file_ready(found),
        refresh=REFRESH_S if found.state in ("queued", "running") else None,
    )


@bp.route("/jobs/<int:job_id>/file")
@login_required
def job_file(job_id):
    """The finished job's file, for the person who asked for it (``GET /api/v1/jobs/{id}/file``
    without a token)."""
    found = _own(job_id)
    if not queue.file_ready(found):
        raise ApiError(409, "Файл ещё не готов.")
    return send_file(
        found.file_path,
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{found.code}-{found.id}.xlsx",
    )
