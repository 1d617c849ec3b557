"""Concurrency against a real server (gunicorn, several worker processes, real database
connections): racing reviewers, racing idempotent twins, racing draft saves."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from core.db import database
from forms.models import IdempotencyRecord, Submission, SubmissionEvent
from tests.forms_fixtures import MONITORING, campaign_body
from tests.live_server import LiveServer


@pytest.fixture
def live(app, world, tmp_path):
    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "live").start()
    yield server
    server.close()


@pytest.fixture
def campaign(api, world):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    response = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    assert response.status_code == 201
    if not database.is_closed():
        database.close()
    return response.json


class Client:
    def __init__(self, live, token):
        self.base = live.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method, path, **kw):
        return self.session.request(method, self.base + path, timeout=30, **kw)


def together(*calls):
    """Run the calls in threads released at the same instant; their responses in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def sub_path(campaign, world):
    return f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"


def test_two_reviewers_at_once_exactly_one_wins(live, world, campaign):
    path = sub_path(campaign, world)
    coord = Client(live, world.tokens["coord_a1"])
    reviewers = [Client(live, world.tokens[w]) for w in ("methodist_a", "operator")]
    assert (
        coord.call(
            "PUT", path, json={"data": {"act_adopted": False, "pairs_total": 0}, "version": None}
        ).status_code
        == 201
    )
    rounds, outcomes = 12, []
    for n in range(rounds):
        submitted = coord.call("POST", path + "/submit", json={})
        assert submitted.status_code == 200, submitted.text
        # Round n: both accept, both return, or one of each.
        actions = [("accept", "accept"), ("return", "return"), ("accept", "return")][n % 3]
        reason = {"reason": f"раунд {n}"}

        def act(client, action, body=reason):
            return lambda: client.call("POST", f"{path}/{action}", json=body)

        responses = together(*map(act, reviewers, actions))
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409], [r.text for r in responses]
        (winner,) = [a for a, r in zip(actions, responses, strict=True) if r.status_code == 200]
        (loser,) = [r for r in responses if r.status_code == 409]
        assert loser.json()["error"]["code"] in ("invalid_transition", "version_conflict")
        outcomes.append(winner)
        state = coord.call("GET", path).json()["state"]
        assert state == {"accept": "accepted", "return": "returned"}[winner]
        if winner == "accept":
            reopened = reviewers[0].call("POST", path + "/reopen", json={"reason": "ещё раз"})
            assert reopened.status_code == 200, reopened.text
    with database.connection_context():
        events = [
            e.action
            for e in SubmissionEvent.select().order_by(SubmissionEvent.id)
            if e.action in ("accept", "return")
        ]
    assert events == outcomes  # one history event per round: the loser wrote nothing


def test_eight_twins_with_one_idempotency_key_make_one_record(live, world, campaign):
    coord = Client(live, world.tokens["coord_a1"])
    path = sub_path(campaign, world)
    body = {"data": {"act_adopted": False, "act_number": "1-к", "pairs_total": 2}, "version": None}
    responses = together(
        *[
            (lambda: coord.call("PUT", path, json=body, headers={"Idempotency-Key": "twin-1"}))
            for _ in range(8)
        ]
    )
    codes = [r.status_code for r in responses]
    # Whoever came first created it; the others got that answer replayed, or were told the
    # first is still in progress (409) — never a second record, never a server error.
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}, [r.text for r in responses]
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    for r in responses:
        if r.status_code == 409:
            assert r.json()["error"]["code"] == "idempotency_in_progress"
    with database.connection_context():
        assert Submission.select().count() == 1
        assert SubmissionEvent.select().count() == 1
        assert IdempotencyRecord.select().count() == 1
    # Retried later, every twin gets the stored answer.
    again = coord.call("PUT", path, json=body, headers={"Idempotency-Key": "twin-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] in created


def test_parallel_draft_saves_never_lose_an_acknowledged_change(live, world, campaign):
    path = sub_path(campaign, world)
    first = Client(live, world.tokens["coord_a1"])
    assert (
        first.call("PUT", path, json={"data": {"pairs_total": 0}, "version": None}).status_code
        == 201
    )
    writers, saves_each = 4, 5
    acknowledged = []  # (version, data) of every 200

    def writer(i):
        client = Client(live, world.tokens["coord_a1"])
        done = attempts = 0
        while done < saves_each and attempts < 200:
            attempts += 1
            current = client.call("GET", path).json()
            data = {**current["data"], "act_number": f"w{i}-{done}", "pairs_total": i * 10 + done}
            saved = client.call("PUT", path, json={"data": data, "version": current["version"]})
            if saved.status_code == 200:
                acknowledged.append((saved.json()["version"], data))
                done += 1
            else:
                assert saved.status_code == 409, saved.text
                assert saved.json()["error"]["code"] == "version_conflict"
        return done

    with ThreadPoolExecutor(writers) as pool:
        assert list(pool.map(writer, range(writers))) == [saves_each] * writers
    versions = sorted(v for v, _ in acknowledged)
    # Every acknowledged save was made on top of the one before it: versions 2..N+1, no gaps,
    # no duplicates; the stored data is the last acknowledged save.
    assert versions == list(range(2, writers * saves_each + 2))
    final = first.call("GET", path).json()
    assert final["version"] == versions[-1]
    assert final["data"] == dict(acknowledged)[versions[-1]]
    with database.connection_context():
        saves = SubmissionEvent.select().where(SubmissionEvent.action == "save").count()
    assert saves == writers * saves_each
