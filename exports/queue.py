"""Export jobs on the core's queue (core.jobs): progress and errors kept in export_job."""

import traceback
from pathlib import Path

from flask import current_app

from core.db import database
from core.jobs import huey, in_app
from core.models import utcnow
from exports.models import ExportJob


def _run(job_id):
    from core.models import Organization
    from exports.running import prepare, produce

    app = current_app
    registry = app.extensions["metodnet.registry"]
    with database.connection_context():
        job = ExportJob.get_by_id(job_id)
        ExportJob.update(state="running", started_at=utcnow()).where(
            ExportJob.id == job_id
        ).execute()
    folder = Path(app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job_id}.xlsx"

    def progress(done):
        with database.connection_context():
            ExportJob.update(rows_done=done).where(ExportJob.id == job_id).execute()

    try:
        with database.connection_context():
            scope = Organization.get_by_id(job.scope_id)
            declaration, ctx = prepare(
                job.code,
                scope,
                registry,
                period=job.period or None,
                campaign_id=job.campaign_id,
                user=job.user,
            )
            rows = produce(declaration, ctx, str(path), registry, progress=progress)
    except Exception as error:  # the job records why it failed
        with database.connection_context():
            ExportJob.update(
                state="failed",
                error=f"{error.__class__.__name__}: {error}\n{traceback.format_exc(limit=3)}",
                finished_at=utcnow(),
            ).where(ExportJob.id == job_id).execute()
        return
    with database.connection_context():
        ExportJob.update(
            state="done",
            rows_done=rows,
            rows_total=rows,
            file_path=str(path),
            finished_at=utcnow(),
        ).where(ExportJob.id == job_id).execute()


@huey.task()
def run_export_job(job_id):
    return in_app(_run, job_id)
