"""Export jobs on the core's queue (core.jobs): state, progress and the reason of a failure
kept in export_job for its user; the lease in the core's job_lease."""

import os
from pathlib import Path

from flask import current_app

from core import jobs
from core.db import database
from core.models import utcnow
from exports.models import ExportJob

KIND = "export"
INTERRUPTED = "Задание прервано: обработчик остановился; повторите выгрузку."
FAILED = (
    "Выгрузка не сформирована из-за внутренней ошибки; повторите её позже или сообщите "
    "администратору."
)


def track_export(job_id: int) -> None:
    """Inside the transaction that creates the export job."""
    jobs.track(KIND, job_id)


def run_export_job(job_id: int) -> None:
    """Send the export job to the worker (after its transaction committed)."""
    jobs.enqueue(KIND, job_id)


def start_export(declaration, ctx, *, period="", campaign_id=None, user=None) -> ExportJob:
    """Record the export job with its lease and send it to the worker (the API and the
    page «Выгрузки» alike)."""
    with database.atomic():
        job = ExportJob.create(
            code=declaration["code"],
            scope=ctx.scope,
            period=period or "",
            campaign_id=campaign_id,
            user=user,
        )
        track_export(job.id)
    run_export_job(job.id)
    return ExportJob.get_by_id(job.id)


def own_job(job_id, user) -> ExportJob | None:
    """The export job if ``user`` asked for it; None for anyone else's (answered as unknown)."""
    job = ExportJob.get_or_none(ExportJob.id == job_id)
    if job is None or user is None or job.user_id != user.id:
        return None
    return job


def file_ready(job) -> bool:
    return job.state == "done" and bool(job.file_path) and os.path.exists(job.file_path)


def _mark(job_id, state, reason=""):
    values = {"state": state, "error": reason}
    if state == "running":
        values.update(started_at=utcnow(), rows_done=0)
    elif state == "queued":
        values["started_at"] = None
    else:
        values["finished_at"] = utcnow()
    with database.connection_context():
        ExportJob.update(**values).where(ExportJob.id == job_id).execute()


@jobs.job_kind(KIND, mark=_mark, interrupted=INTERRUPTED, failed=FAILED)
def _run(job_id):
    from core.models import Organization
    from exports.running import ExportRefused, prepare, produce

    app = current_app
    registry = app.extensions["metodnet.registry"]
    folder = Path(app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job_id}.xlsx"
    partial = folder / f"job-{job_id}.{os.getpid()}.part"  # a taken-over run writes its own

    def progress(done):
        with database.connection_context():
            ExportJob.update(rows_done=done).where(ExportJob.id == job_id).execute()

    try:
        with database.connection_context():
            job = ExportJob.get_by_id(job_id)
            scope = Organization.get_by_id(job.scope_id)
            declaration, ctx = prepare(
                job.code,
                scope,
                registry,
                period=job.period or None,
                campaign_id=job.campaign_id,
                user=job.user,
            )
            rows = produce(declaration, ctx, str(partial), registry, progress=progress)
    except ExportRefused as refusal:  # e.g. the campaign was deleted after the job was queued
        partial.unlink(missing_ok=True)
        raise jobs.JobFailed(refusal.message) from refusal
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    with database.connection_context():
        ExportJob.update(
            state="done",
            rows_done=rows,
            rows_total=rows,
            file_path=str(path),
            finished_at=utcnow(),
        ).where(ExportJob.id == job_id).execute()
