"""Crash test: a real gunicorn server takes concurrent submissions and is killed with SIGKILL
at random (seeded) moments, then restarted. Afterwards every submission that got a 2xx is
present and identical, nothing half-written exists, and SQLite's integrity check passes."""

import random
import sqlite3
import threading
import time

import pytest
import requests

from core import organizations as tree
from core.db import database
from forms.models import Submission, SubmissionEvent
from tests.forms_fixtures import MONITORING, campaign_body
from tests.live_server import LiveServer

KILLS = 8  # SIGKILLs per run
CLIENTS = 4
SUBJECTS = 600  # schools to fill; more than the clients get through
SEED = 7


def payload(i):
    return {
        "act_adopted": True,
        "act_date": "2024-09-01",
        "act_number": f"№ {i}-к",
        "pairs_total": i % 40,
        "pairs_teacher": i % 40 - i % 3 if i % 40 >= i % 3 else 0,
        "pairs_peer": i % 3 if i % 40 >= i % 3 else i % 40,
    }


class Crew:
    """Clients that fill one school after another: save the draft, then submit it."""

    def __init__(self, url, token, campaign_id, schools):
        self.url, self.token = url, token
        self.base = f"{url}/api/v1/campaigns/{campaign_id}/submissions/"
        self.schools = list(schools)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.saved, self.submitted = {}, set()  # acknowledged: school id → data; school ids
        self.lost_in_flight = 0
        self.errors = []

    def next_school(self):
        with self.lock:
            return self.schools.pop() if self.schools else None

    def run(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        while not self.stop.is_set():
            school = self.next_school()
            if school is None:
                return
            data = payload(school)
            try:
                saved = session.put(
                    self.base + str(school), json={"data": data, "version": None}, timeout=60
                )
                if saved.status_code != 201:
                    raise AssertionError(saved.text)
                with self.lock:
                    self.saved[school] = data
                done = session.post(
                    self.base + f"{school}/submit",
                    json={"version": 1},
                    headers={"Idempotency-Key": f"submit-{school}"},
                    timeout=60,
                )
                if done.status_code != 200:
                    raise AssertionError(done.text)
                with self.lock:
                    self.submitted.add(school)
            except AssertionError as error:  # a refusal: the test fails after the threads stop
                with self.lock:
                    self.errors.append(str(error))
                return
            except requests.RequestException:  # the server died under this request
                with self.lock:
                    self.lost_in_flight += 1
                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {self.token}"


@pytest.mark.slow
def test_sigkill_loses_nothing_acknowledged(app, api, world, tmp_path):
    with database.connection_context(), database.atomic():
        schools = [
            tree.create(kind="school", name=f"Школа № {n}", code=f"crash-{n}", parent=world.muni_a)
            for n in range(SUBJECTS)
        ]
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    if not database.is_closed():
        database.close()

    url = app.config["DATABASE_URL"]
    server = LiveServer(url, tmp_path / "live").start()
    crew = Crew(server.url, world.tokens["admin"], campaign.json["id"], [s.id for s in schools])
    threads = [threading.Thread(target=crew.run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    chance = random.Random(SEED)
    try:
        for _ in range(KILLS):
            # Let the clients work a random while, then pull the plug mid-request. Connections
            # queued meanwhile wait in the socket's backlog for the restarted server.
            time.sleep(chance.uniform(0.3, 1.5))
            server.kill()
            server.start()
    finally:
        crew.stop.set()
        for thread in threads:
            thread.join()
        server.close()

    assert crew.errors == []
    acknowledged = len(crew.saved) + len(crew.submitted)
    print(
        f"\ncrash test ({'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}): {KILLS} kills,"
        f" {len(crew.saved)} drafts and {len(crew.submitted)} submits acknowledged"
        f" ({acknowledged} checked), {crew.lost_in_flight} requests cut off in flight"
    )
    assert len(crew.saved) >= KILLS  # the clients really worked between the kills

    with database.connection_context():
        stored = {s.organization_id: s for s in Submission.select()}
        events = {}
        for event in SubmissionEvent.select().order_by(SubmissionEvent.id):
            events.setdefault(event.submission_id, []).append(event)
    for school, data in crew.saved.items():
        row = stored[school]
        assert row.data == data, school
        assert row.state == ("submitted" if school in crew.submitted else row.state)
    for school in crew.submitted:
        assert stored[school].state == "submitted" and stored[school].version == 2
    # Nothing half-written: every stored submission, acknowledged or not, has the whole
    # history of its version and the state its last event led to.
    for row in stored.values():
        history = events.get(row.id, [])
        assert len(history) == row.version, row.organization_id
        assert history[-1].to_state == row.state
        assert row.data == payload(row.organization_id)
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split(":///", 1)[1])
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
