"""Checklist audits (self-assessment → expert → results) and outgoing webhooks."""

import pytest

from core.db import database
from forms import webhooks
from forms.models import WebhookDelivery
from tests.forms_fixtures import MONITORING, campaign_body

CHECKLIST = {
    "code": "custom_model_audit",
    "title": "Аудит реализации целевой модели наставничества",
    "sections": [
        {
            "title": "Нормативная база",
            "fields": [
                {
                    "name": "local_act",
                    "type": "score",
                    "label": "Локальный акт о наставничестве",
                    "max": 2,
                },
                {
                    "name": "programme",
                    "type": "score",
                    "label": "Программа наставничества",
                    "max": 2,
                },
            ],
        },
        {
            "title": "Практика",
            "fields": [
                {
                    "name": "pairs_for_all",
                    "type": "score",
                    "label": "Пары для всех молодых педагогов",
                    "max": 3,
                },
            ],
        },
    ],
}


@pytest.fixture
def app(make_app):
    # The webhook test registers a local address, so the installation allows it by name.
    return make_app(WEBHOOK_ALLOW_HOSTS="127.0.0.1")


@pytest.fixture
def audit(api, world):
    assert api.as_("operator").post("/api/v1/checklists", json=CHECKLIST).status_code == 201
    response = api.as_("methodist_a").post(
        "/api/v1/audits",
        json={"checklist_code": "custom_model_audit", "organization_id": world.a1.id},
    )
    assert response.status_code == 201, response.json
    return response.json


def scores(**values):
    return {name: {"score": score, "evidence": f"см. {name}"} for name, score in values.items()}


def test_audit_from_self_assessment_to_results(api, world, audit):
    base = f"/api/v1/audits/{audit['id']}"
    partial = api.as_("coord_a1").put(f"{base}/self-assessment", json={"data": scores(local_act=2)})
    assert partial.status_code == 200
    early = api.as_("coord_a1").post(f"{base}/self-assessment/submit")
    assert early.status_code == 422
    assert set(early.json["error"]["fields"]) == {"programme", "pairs_for_all"}
    out_of_scale = api.as_("coord_a1").put(
        f"{base}/self-assessment", json={"data": scores(local_act=5)}
    )
    assert out_of_scale.status_code == 422
    assert out_of_scale.json["error"]["fields"] == {"local_act": ["Балл от 0 до 2."]}
    api.as_("coord_a1").put(
        f"{base}/self-assessment", json={"data": scores(local_act=2, programme=2, pairs_for_all=3)}
    )
    submitted = api.as_("coord_a1").post(f"{base}/self-assessment/submit")
    assert submitted.json["state"] == "awaiting_expert"
    expert = world.users["expert_a"]
    assigned = api.as_("methodist_a").put(f"{base}/expert", json={"expert_id": expert.id})
    assert assigned.status_code == 200 and assigned.json["state"] == "expert_review"
    assert (
        api.as_("methodist_a")
        .put(f"{base}/expert-assessment", json={"data": scores(local_act=1)})
        .status_code
        == 403
    )
    api.as_("expert_a").put(
        f"{base}/expert-assessment",
        json={"data": scores(local_act=1, programme=2, pairs_for_all=1)},
    )
    done = api.as_("expert_a").post(f"{base}/expert-assessment/complete")
    assert done.status_code == 200 and done.json["state"] == "completed"
    results = done.json["results"]
    assert results["self"]["points"] == 7 and results["self"]["max"] == 7
    assert results["expert"]["points"] == 4 and results["expert"]["percent"] == 57.1
    assert results["gap_points"] == 3
    assert results["directions"] == [
        {"title": "Нормативная база", "self": 4, "expert": 3, "gap": 1},
        {"title": "Практика", "self": 3, "expert": 1, "gap": 2},
    ]
    assert results["expert"]["directions"][1]["percent"] == 33.3


def test_an_expert_never_reviews_their_own_organisation(api, world, audit):
    from core.models import RoleGrant

    expert = world.users["expert_a"]
    with database.connection_context():
        RoleGrant.create(user=expert, role="teacher", scope=world.a1, staff=world.staff_a1)
    response = api.as_("methodist_a").put(
        f"/api/v1/audits/{audit['id']}/expert", json={"expert_id": expert.id}
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "expert_id": ["Эксперт не проверяет собственную организацию."]
    }
    not_an_expert = api.as_("methodist_a").put(
        f"/api/v1/audits/{audit['id']}/expert", json={"expert_id": world.users["coord_a1"].id}
    )
    assert not_an_expert.status_code == 422


def test_audits_are_scoped(api, world, audit):
    assert api.as_("methodist_b").get(f"/api/v1/audits/{audit['id']}").status_code == 404
    assert api.as_("coord_b1").get("/api/v1/audits").json["total"] == 0
    assert api.as_("coord_a1").get("/api/v1/audits").json["total"] == 1
    assert (
        api.as_("coord_a1")
        .post(
            "/api/v1/audits",
            json={"checklist_code": "custom_model_audit", "organization_id": world.a1.id},
        )
        .status_code
        == 403
    )


def test_webhooks_queue_every_event_and_retry(api, world, app):
    hook = api.as_("operator").post(
        "/api/v1/webhooks",
        json={
            "organization_id": world.region.id,
            "url": "http://127.0.0.1:9/hook",
            "secret": "0123456789abcdef",
        },
    )
    assert hook.status_code == 201 and "secret" not in hook.json
    assert (
        api.as_("methodist_a")
        .post(
            "/api/v1/webhooks",
            json={
                "organization_id": world.muni_a.id,
                "url": "http://x.ru",
                "secret": "0123456789abcdef",
            },
        )
        .status_code
        == 403
    )
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = (
        api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    )
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    api.as_("coord_a1").put(target, json={"data": {"act_number": "1"}})
    api.as_("coord_a1").put(target, json={"data": {"act_number": "2"}, "version": 1})
    sent = []

    def flaky(url, body, headers):
        sent.append((url, body, headers))
        if len(sent) == 1:
            raise OSError("connection refused")
        return 204

    with app.app_context(), database.connection_context():
        events = [d.event["event"] for d in WebhookDelivery.select().order_by(WebhookDelivery.id)]
        assert events == ["submission.create", "submission.save"]
        first = webhooks.deliver_due(post=flaky)
        assert first == {"delivered": 1, "failed": 1, "gave_up": 0}
        retry = WebhookDelivery.get(WebhookDelivery.delivered_at.is_null())
        assert retry.attempts == 1 and "connection refused" in retry.last_error
        assert webhooks.deliver_due(post=flaky) == {"delivered": 0, "failed": 0, "gave_up": 0}
        later = retry.next_attempt_at
        assert webhooks.deliver_due(now=later, post=flaky)["delivered"] == 1
    url, body, headers = sent[0]
    assert headers["X-Metodnet-Signature"] == webhooks.signature("0123456789abcdef", body)
