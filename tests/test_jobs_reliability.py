"""Jobs are never lost: real `metodnet worker` processes on a real queue (a SQLite file, or
Redis where METODNET_TEST_REDIS_URL is given) run concurrent export jobs, survive a job that
breaks, and take over the job of a worker killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time

import pytest
from huey.storage import RedisStorage, SqliteStorage

from core import activation, jobs
from core.db import database
from core.models import JobLease
from exports.queue import INTERRUPTED
from forms.models import Webhook, WebhookDelivery
from tests import job_plugin
from tests.conftest import Api, World

REDIS_URL = os.environ.get("METODNET_TEST_REDIS_URL")
QUEUES = ["sqlite"] + (["redis"] if REDIS_URL else [])
PATIENCE_S = 240  # generous: the machine is shared; no speed is asserted


class Rig:
    """A migrated database with the test world, the test process queueing where the workers
    read, and worker processes started and killed at will."""

    def __init__(self, make_app, database_url, instance, monkeypatch, queue):
        self.url, self.instance, self.queue = database_url, instance, queue
        self.app = make_app(plugins=[job_plugin], database_url=database_url)
        with self.app.app_context(), database.connection_context():
            self.world = World()
            activation.set_enabled(self.world.region, "jobtest", True)
        self.api = Api(self.app.test_client(), self.world.tokens)
        monkeypatch.setattr(jobs.huey, "_immediate", False)
        if queue == "redis":
            storage = RedisStorage("metodnet", url=REDIS_URL)
            storage.flush_all()
        else:
            storage = SqliteStorage("metodnet", filename=str(instance / "jobs.sqlite3"))
        monkeypatch.setattr(jobs.huey, "storage", storage)
        self.workers = []

    def start_worker(self, threads, **env):
        env = {
            **os.environ,
            "METODNET_DATABASE_URL": self.url,
            "METODNET_INSTANCE_PATH": str(self.instance),
            "METODNET_SECRET_KEY": "test",
            **env,
        }
        if self.queue == "redis":
            env["METODNET_REDIS_URL"] = REDIS_URL
        code = f"from tests.job_plugin import cli; cli(['worker', '--workers', '{threads}'])"
        log = open(self.instance / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=log, stderr=log, start_new_session=True
        )
        self.workers.append((worker, log))
        return worker

    def logs(self):
        return "\n".join(
            log.name + ":\n" + open(log.name).read()[-3000:] for _, log in self.workers
        )

    def stop(self):
        for worker, log in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
            log.close()

    def start_job(self, code):
        answer = self.api.as_("operator").post(
            f"/api/v1/exports/{code}/jobs", query_string={"scope": self.world.region.id}
        )
        assert answer.status_code == 202, answer.json
        return answer.json["id"]

    def job(self, job_id):
        return self.api.as_("operator").get(f"/api/v1/jobs/{job_id}").json

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.3)
        raise AssertionError(f"{what} did not happen\n{self.logs()}")


@pytest.fixture(params=QUEUES)
def rig(request, make_app, fresh_database_url, tmp_path, monkeypatch):
    instance = tmp_path / "worker-instance"
    instance.mkdir()
    made = Rig(make_app, fresh_database_url, instance, monkeypatch, request.param)
    yield made
    made.stop()


def finished(rig, job_id):
    return rig.job(job_id)["state"] in ("done", "failed")


def test_eight_concurrent_jobs_finish_and_a_broken_one_stops_nothing(rig):
    rig.start_worker(threads=4, METODNET_TEST_ROW_DELAY="0.001")
    exports = ["organizations", "slow_export"] * 4
    ids = [rig.start_job(code) for code in exports]
    broken = rig.start_job("broken_export")
    rig.wait_for(lambda: all(finished(rig, i) for i in [*ids, broken]), "every job finishing")
    answers = [rig.job(i) for i in ids]
    assert [a["state"] for a in answers] == ["done"] * 8, [a["error"] for a in answers]
    assert [a["rows_done"] for a in answers] == [8, 200] * 4
    for job_id in ids:
        assert rig.api.as_("operator").get(f"/api/v1/jobs/{job_id}/file").status_code == 200

    # The broken job's user reads a reason in Russian; the exception stays in the log.
    failed = rig.job(broken)
    assert failed["state"] == "failed" and failed["state_title"] == "Ошибка"
    assert failed["error"].startswith("Выгрузка не сформирована")
    for leak in ("Traceback", "/srv/", ".py", "RuntimeError", "диск переполнен"):
        assert leak not in failed["error"]

    # The same worker goes on with its periodic work: a webhook due now is delivered (or,
    # if the address is refused, tried) at the next minute.
    with rig.app.app_context(), database.connection_context():
        hook = Webhook.create(
            organization=rig.world.region, url="http://127.0.0.1:9/x", secret="0123456789abcdef"
        )
        delivery = WebhookDelivery.create(webhook=hook, event={"event": "submission.submit"})

    def tried():
        with rig.app.app_context(), database.connection_context():
            return WebhookDelivery.get_by_id(delivery.id).attempts >= 1

    rig.wait_for(tried, "webhook delivery after the broken job")
    assert all(worker.poll() is None for worker, _ in rig.workers), rig.logs()


def test_a_killed_workers_jobs_are_finished_by_the_next_worker(rig):
    first = rig.start_worker(threads=1, METODNET_TEST_ROW_DELAY="0.05")
    running = rig.start_job("slow_export")
    waiting = rig.start_job("organizations")  # queued behind it: the worker has one thread
    rig.wait_for(lambda: rig.job(running)["state"] == "running", "the slow job starting")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    # What the dead worker left: one job running forever, one queued.
    assert rig.job(running)["state"] == "running"
    assert rig.job(waiting)["state"] == "queued"

    rig.start_worker(threads=2, METODNET_TEST_ROW_DELAY="0.001")
    rig.wait_for(lambda: finished(rig, running) and finished(rig, waiting), "takeover")
    taken_over, queued = rig.job(running), rig.job(waiting)
    assert (taken_over["state"], taken_over["rows_done"]) == ("done", 200), taken_over
    assert (queued["state"], queued["rows_done"]) == ("done", 8), queued
    with rig.app.app_context(), database.connection_context():
        lease = JobLease.get(JobLease.kind == "export", JobLease.ref_id == running)
        assert (lease.state, lease.attempts) == ("done", 2)


def test_a_job_abandoned_too_often_fails_with_a_reason(rig):
    """A job whose workers died three times is not started a fourth time."""
    first = rig.start_worker(threads=1, METODNET_TEST_ROW_DELAY="0.05")
    job_id = rig.start_job("slow_export")
    rig.wait_for(lambda: rig.job(job_id)["state"] == "running", "the slow job starting")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    with rig.app.app_context(), database.connection_context():
        JobLease.update(attempts=3).where(JobLease.ref_id == job_id).execute()
    rig.start_worker(threads=1)
    rig.wait_for(lambda: finished(rig, job_id), "the job failing")
    answer = rig.job(job_id)
    assert (answer["state"], answer["error"]) == ("failed", INTERRUPTED)
