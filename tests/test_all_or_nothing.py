"""All-or-nothing: an error injected between two writes of one request leaves no partial rows
(the request answers 500 and the database is exactly as before)."""

import pytest

from core import audit
from core.db import database
from core.models import AuditEntry, StaffMember
from forms import webhooks
from forms.models import Submission, SubmissionEvent
from tests.forms_fixtures import MONITORING, campaign_body


class Injected(RuntimeError):
    pass


def fail_on(monkeypatch, module, name, when=lambda *a, **k: True):
    real = getattr(module, name)

    def failing(*args, **kwargs):
        if when(*args, **kwargs):
            raise Injected(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


def rows():
    with database.connection_context():
        return {
            model.__name__: [tuple(sorted(r.items())) for r in model.select().dicts()]
            for model in (StaffMember, Submission, SubmissionEvent, AuditEntry)
        }


@pytest.fixture
def setup(app, api, world):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    return f"/api/v1/campaigns/{campaign.json['id']}/submissions/{world.a1.id}"


def test_new_draft_without_its_history_is_not_stored(api, setup, monkeypatch):
    before = rows()
    # The submission row is written, then the history entry's webhook outbox fails.
    fail_on(monkeypatch, webhooks, "enqueue")
    response = api.as_("coord_a1").put(setup, json={"data": {"pairs_total": 1}, "version": None})
    assert response.status_code == 500
    assert response.json["error"]["code"] == "server_error"
    assert rows() == before


def test_submit_and_review_roll_back_whole(api, setup, monkeypatch):
    coord, methodist = api.as_("coord_a1"), api.as_("methodist_a")
    data = {"act_adopted": False, "pairs_total": 0}
    assert coord.put(setup, json={"data": data, "version": None}).status_code == 201
    before = rows()
    fail_on(monkeypatch, webhooks, "enqueue", when=lambda s, action, *a: action == "submit")
    assert coord.post(setup + "/submit", json={}).status_code == 500
    assert rows() == before
    monkeypatch.undo()

    assert coord.post(setup + "/submit", json={}).status_code == 200
    assert methodist.post(setup + "/accept").status_code == 200
    before = rows()
    # Reopening writes the submission, its history and an audit entry: the last one fails.
    fail_on(monkeypatch, audit, "record", when=lambda action, **k: action == "reopen")
    assert methodist.post(setup + "/reopen", json={"reason": "ошибка"}).status_code == 500
    assert rows() == before


def test_staff_record_without_its_audit_entry_is_not_stored(api, world, setup, monkeypatch):
    before = rows()
    fail_on(monkeypatch, audit, "record")
    response = api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={"full_name": "Новикова Мария", "position": "учитель", "birth_year": 1991},
    )
    assert response.status_code == 500
    assert rows() == before
