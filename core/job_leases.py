"""Leases of background jobs, kept in the database (table job_lease).

A worker claims a job by one conditional UPDATE (two workers cannot both win), holds it with
a heartbeat that moves ``lease_until`` forward, and records how it ended.  A job whose lease
ran out, or whose worker process on this host is gone, is abandoned: the reaper
(core.jobs.reap) starts it again, at most MAX_ATTEMPTS times.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from core.db import database
from core.models import JobLease, utcnow

LEASE_S = 60  # a claim lives this long without a heartbeat
HEARTBEAT_S = 15
MAX_ATTEMPTS = 3
RESEND_QUEUED_AFTER_S = 120  # a queued job with no message in the queue is sent again

log = logging.getLogger(__name__)


def worker_id() -> str:
    """host:pid of this process (read each time: a forked child is another worker)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def track(kind: str, ref_id: int) -> JobLease:
    """Record a new job (inside the transaction that creates it, so neither exists alone)."""
    return JobLease.create(kind=kind, ref_id=ref_id)


def claim(kind: str, ref_id: int) -> JobLease | None:
    """Take a queued job for this process, or None if it is not queued (done, failed, or
    another worker holds it)."""
    now = utcnow()
    with database.connection_context():
        if not JobLease.select().where(JobLease.kind == kind, JobLease.ref_id == ref_id).exists():
            track(kind, ref_id)  # a job queued before leases existed
        taken = (
            JobLease.update(
                state="running",
                claimed_by=worker_id(),
                lease_until=now + timedelta(seconds=LEASE_S),
                heartbeat_at=now,
                attempts=JobLease.attempts + 1,
            )
            .where(JobLease.kind == kind, JobLease.ref_id == ref_id, JobLease.state == "queued")
            .execute()
        )
        if not taken:
            return None
        return JobLease.get(JobLease.kind == kind, JobLease.ref_id == ref_id)


def finish(lease: JobLease, state: str, reason: str = "") -> bool:
    """Record the end of this claim; False when the job was taken over meanwhile."""
    with database.connection_context():
        return bool(
            JobLease.update(state=state, reason=reason, lease_until=None)
            .where(_still_mine(lease))
            .execute()
        )


def _still_mine(lease):
    return (
        (JobLease.id == lease.id)
        & (JobLease.state == "running")
        & (JobLease.claimed_by == lease.claimed_by)
        & (JobLease.attempts == lease.attempts)
    )


def abandoned(now) -> list[JobLease]:
    """Running jobs whose lease ran out or whose worker process on this host is gone."""
    with database.connection_context():
        running = list(JobLease.select().where(JobLease.state == "running"))
    return [
        lease
        for lease in running
        if lease.lease_until is None or lease.lease_until < now or _gone(lease.claimed_by)
    ]


def _gone(claimed_by: str) -> bool:
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False  # another host's process is judged by its lease alone
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # killed but not yet reaped by its parent: a zombie runs nothing
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return False


def release(lease: JobLease, state: str, reason: str = "") -> bool:
    """Take an abandoned job from its dead worker: back to queued, or failed for good."""
    now = utcnow()
    with database.connection_context():
        return bool(
            JobLease.update(
                state=state, claimed_by="", lease_until=None, reason=reason, enqueued_at=now
            )
            .where(_still_mine(lease))
            .execute()
        )


def stale_queued(now) -> list[JobLease]:
    """Queued jobs sent to the queue a while ago (the queue may have lost them)."""
    before = now - timedelta(seconds=RESEND_QUEUED_AFTER_S)
    with database.connection_context():
        return list(
            JobLease.select().where(JobLease.state == "queued", JobLease.enqueued_at < before)
        )


def resent(lease: JobLease) -> None:
    with database.connection_context():
        JobLease.update(enqueued_at=utcnow()).where(JobLease.id == lease.id).execute()


# --- heartbeat: one thread per process moves the lease of every job it holds -------------

_held: set[int] = set()
_lock = threading.Lock()
_beater: dict = {}  # pid → thread (a forked child starts its own)


def hold(lease: JobLease) -> None:
    with _lock:
        _held.add(lease.id)
        thread = _beater.get(os.getpid())
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_beat, name="job-heartbeat", daemon=True)
            _beater[os.getpid()] = thread
            thread.start()


def drop(lease: JobLease) -> None:
    with _lock:
        _held.discard(lease.id)


def _beat() -> None:
    while True:
        time.sleep(HEARTBEAT_S)
        with _lock:
            ids = list(_held)
        if not ids:
            continue
        now = utcnow()
        try:
            with database.connection_context():
                JobLease.update(
                    lease_until=now + timedelta(seconds=LEASE_S), heartbeat_at=now
                ).where(
                    JobLease.id.in_(ids),
                    JobLease.state == "running",
                    JobLease.claimed_by == worker_id(),
                ).execute()
        except Exception:  # the database is away: try again at the next beat
            log.exception("job heartbeat failed")
