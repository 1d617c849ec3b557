"""A real worker process runs jobs the web process queued (and the periodic webhook task)."""

import os
import subprocess
import sys
import time

import pytest
from huey.storage import RedisStorage, SqliteStorage

from core import jobs
from core.db import database
from forms import tasks
from forms.models import Webhook, WebhookDelivery
from tests.conftest import Api, World

REDIS_URL = os.environ.get("METODNET_TEST_REDIS_URL")
QUEUES = ["sqlite"] + (["redis"] if REDIS_URL else [])


@pytest.mark.parametrize("queue", QUEUES)
def test_a_worker_process_runs_a_queued_export(
    make_app, fresh_database_url, tmp_path, monkeypatch, queue
):
    """SQLite queue always; the Redis queue where a server is given (.ci/run gives one)."""
    instance = tmp_path / "worker-instance"
    instance.mkdir()
    app = make_app(database_url=fresh_database_url)
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    # The web process queues where the worker reads: the SQLite file or the Redis server.
    monkeypatch.setattr(jobs.huey, "_immediate", False)
    if queue == "redis":
        storage = RedisStorage("metodnet", url=REDIS_URL)
        storage.flush_all()
    else:
        storage = SqliteStorage("metodnet", filename=str(instance / "jobs.sqlite3"))
    monkeypatch.setattr(jobs.huey, "storage", storage)
    started = api.as_("operator").post(
        "/api/v1/exports/organizations/jobs", query_string={"scope": world.region.id}
    )
    assert started.status_code == 202 and started.json["state"] == "queued"
    env = {
        **os.environ,
        "METODNET_DATABASE_URL": fresh_database_url,
        "METODNET_INSTANCE_PATH": str(instance),
        "METODNET_SECRET_KEY": "test",
    }
    if queue == "redis":
        env["METODNET_REDIS_URL"] = REDIS_URL
    worker = subprocess.Popen(
        [sys.executable, "-c", "from core.cli import main; main(['worker', '--workers', '1'])"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        state = None
        while time.monotonic() < deadline:
            state = api.as_("operator").get(f"/api/v1/jobs/{started.json['id']}").json
            if state["state"] in ("done", "failed"):
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert state["state"] == "done", output[-2000:]
    assert state["rows_done"] == 8
    assert api.as_("operator").get(f"/api/v1/jobs/{state['id']}/file").status_code == 200


def test_periodic_webhook_delivery(app, world, monkeypatch):
    from forms import webhooks

    sent = []
    monkeypatch.setattr(webhooks, "_post", lambda url, body, headers: sent.append(url) or 200)
    with app.app_context(), database.connection_context():
        hook = Webhook.create(
            organization=world.region, url="http://hooks.example/x", secret="0123456789abcdef"
        )
        WebhookDelivery.create(webhook=hook, event={"event": "submission.submit"})
        tasks.deliver_webhooks()  # immediate mode: runs now, as the worker would each minute
        assert WebhookDelivery.get().delivered_at is not None
    assert sent == ["http://hooks.example/x"]
