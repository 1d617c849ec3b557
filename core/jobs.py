"""The background job queue: huey, with SQLite storage in the instance folder by default
and Redis when METODNET_REDIS_URL is set.  Queued jobs survive a restart of the web
process; `metodnet worker` runs them (and the periodic ones).

The worker builds the application once (``serve``); every task enters its context and opens
its own connection.  A job of a kind (``job_kind``) is recorded in the database beside its
queue message (core.job_leases), claimed with a lease, and ends done or failed with a reason
its user can read; the traceback goes to the log.  The periodic ``reap_jobs`` takes over jobs
whose worker died and sends again queued jobs the queue lost.
"""

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey, crontab

from core import job_leases as leases
from core.models import utcnow

log = logging.getLogger(__name__)

INTERRUPTED = "Задание прервано: обработчик остановился; повторите выгрузку."
FAILED = (
    "Задание не выполнено из-за внутренней ошибки; повторите его позже или сообщите администратору."
)


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

# --- one application per worker process ------------------------------------------------

_app = None
_app_lock = threading.Lock()


def serve(app) -> None:
    """Make ``app`` the application every task of this process runs in (the worker
    command passes the one it built)."""
    global _app
    _app = app


def _worker_app():
    global _app
    with _app_lock:
        if _app is None:  # a process that did not start through `metodnet worker`
            from core.app import create_app

            _app = create_app()
    return _app


def in_app(function, *args):
    """Run ``function`` in an application context: the current one (immediate mode in
    tests), or the worker's own app, built once.  Building an app per task rebound the
    database and closed the connections other worker threads were using."""
    if has_app_context():
        return function(*args)
    with _worker_app().app_context():
        return function(*args)


# --- kinds of jobs ----------------------------------------------------------------------


class JobFailed(Exception):
    """A job cannot be done for a reason its user should read (Russian)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    run: Callable[[int], None]  # does the work (and records the result)
    mark: Callable[[int, str, str], None]  # shows the state and reason to the job's user
    interrupted: str
    failed: str


KINDS: dict[str, Kind] = {}


def job_kind(name, *, mark, interrupted=INTERRUPTED, failed=FAILED):
    """Register the decorated ``run(ref_id)`` as the job kind ``name``."""

    def register(run):
        KINDS[name] = Kind(run, mark, interrupted, failed)
        return run

    return register


track = leases.track  # call inside the transaction that creates the job


def enqueue(kind: str, ref_id: int) -> None:
    """Send a tracked job to the queue (after its transaction committed)."""
    run_job(kind, ref_id)


@huey.task()
def run_job(kind, ref_id):
    return in_app(execute, kind, ref_id)


def execute(name: str, ref_id: int) -> str:
    """Claim and run one job; whatever happens, it ends done or failed with a reason."""
    kind = KINDS.get(name)
    if kind is None:
        log.error("job %s %s: no such kind of job", name, ref_id)
        return "unknown"
    lease = leases.claim(name, ref_id)
    if lease is None:
        return "skipped"  # done, failed, or another worker has it
    leases.hold(lease)
    try:
        kind.mark(ref_id, "running", "")
        kind.run(ref_id)
    except JobFailed as refusal:
        reason = refusal.message
        log.info("job %s %s refused: %s", name, ref_id, reason)
    except Exception:
        reason = kind.failed
        log.exception("job %s %s failed (attempt %s)", name, ref_id, lease.attempts)
    else:
        leases.finish(lease, "done")
        return "done"
    finally:
        leases.drop(lease)
    if leases.finish(lease, "failed", reason):
        kind.mark(ref_id, "failed", reason)
    return "failed"


def reap() -> dict:
    """Take over the jobs of dead workers (again, up to MAX_ATTEMPTS starts, or failed with
    the kind's reason) and send again queued jobs that are not in the queue."""
    now = utcnow()
    counts = {"restarted": 0, "failed": 0, "resent": 0}
    for lease in leases.abandoned(now):
        kind = KINDS.get(lease.kind)
        if kind is None:
            continue
        if lease.attempts >= leases.MAX_ATTEMPTS:
            if leases.release(lease, "failed", kind.interrupted):
                kind.mark(lease.ref_id, "failed", kind.interrupted)
                counts["failed"] += 1
        elif leases.release(lease, "queued"):
            log.warning(
                "job %s %s: worker %s is gone, restarting",
                lease.kind,
                lease.ref_id,
                lease.claimed_by,
            )
            kind.mark(lease.ref_id, "queued", "")
            enqueue(lease.kind, lease.ref_id)
            counts["restarted"] += 1
    waiting = _waiting()
    for lease in leases.stale_queued(now):
        if lease.kind in KINDS and (lease.kind, lease.ref_id) not in waiting:
            leases.resent(lease)
            enqueue(lease.kind, lease.ref_id)
            counts["resent"] += 1
    return counts


def _waiting() -> set:
    """(kind, ref_id) of the job messages waiting in the queue."""
    found = set()
    for task in huey.pending():
        if isinstance(task, run_job.task_class):
            found.add(tuple(task.args))
    return found


@huey.periodic_task(crontab(minute="*"))
def reap_jobs():
    """Every minute, and when a worker starts: no job is left behind by a dead worker."""
    return in_app(reap)


def run_worker(app, workers: int) -> None:
    """`metodnet worker`: huey's consumer in threads, every task in ``app`` (built once).
    The periodic tasks (the reaper first among them) are sent as it starts."""
    from huey.consumer import Consumer

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    serve(app)
    log.info("worker %s: %s thread(s)", leases.worker_id(), workers)
    Consumer(huey, workers=workers, worker_type="thread").run()
