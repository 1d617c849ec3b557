"""Background export jobs on huey: SQLite storage in the instance folder by default,
Redis when METODNET_REDIS_URL is set.  Jobs survive a restart of the web process;
the worker is `metodnet worker`."""

import os
import traceback
from pathlib import Path

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey

from core.db import database
from core.models import utcnow
from exports.models import ExportJob


def _instance_path() -> Path:
    return Path(os.environ.get("METODNET_INSTANCE_PATH") or Path.cwd() / "instance")


def make_huey():
    url = os.environ.get("METODNET_REDIS_URL")
    if url:
        return RedisHuey("metodnet", url=url)
    folder = _instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("metodnet", filename=str(folder / "jobs.sqlite3"))


huey = make_huey()


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
    if has_app_context():  # immediate mode (tests) runs inside the request's app
        return _run(job_id)
    from core.app import create_app

    with create_app().app_context():
        return _run(job_id)
