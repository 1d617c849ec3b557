"""Audit pages: starting one, the school's self-assessment, the methodist's expert picker
(only eligible experts, never from the audited organisation), the expert's scoring, results
per direction self vs expert."""

import re

import pytest

from core.db import database
from core.models import RoleGrant, User
from tests.test_audits_and_webhooks import CHECKLIST
from tests.test_campaign_pages import error_of, signed, text
from tests.test_pages import csrf


@pytest.fixture
def checklist(api):
    assert api.as_("operator").post("/api/v1/checklists", json=CHECKLIST).status_code == 201


@pytest.fixture
def audit_id(app, api, world, checklist):
    client = signed(app, "methodist.a")
    page = client.get("/audits/new")
    started = client.post(
        "/audits/new",
        data={
            "csrf_token": csrf(page),
            "organization_id": str(world.a1.id),
            "checklist_code": "custom_model_audit",
        },
    )
    assert started.status_code == 302
    audit_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    assert api.as_("methodist_a").get(f"/api/v1/audits/{audit_id}").json["state"] == (
        "self_assessment"
    )
    return audit_id


def scores(client, url, action="save", **values):
    form = {"csrf_token": csrf(client.get(url)), "action": action}
    for name, score in values.items():
        form[f"score__{name}"] = str(score)
        form[f"evidence__{name}"] = f"см. {name}"
    return client.post(url, data=form)


def test_self_assessment_expert_and_results_through_the_pages(app, api, world, audit_id):
    coordinator = signed(app, "coord.a1")
    own = f"/audits/{audit_id}/self"
    too_high = scores(coordinator, own, local_act=5)
    assert too_high.status_code == 422
    assert error_of(text(too_high), "score__local_act") == "Балл от 0 до 2."
    assert (
        api.as_("coord_a1").get(f"/api/v1/audits/{audit_id}").json["results"]["self"]["points"] == 0
    )
    early = scores(coordinator, own, "finish", local_act=2)
    assert early.status_code == 422
    assert error_of(text(early), "score__programme") == "Поставьте балл по критерию."
    done = scores(coordinator, own, "finish", local_act=2, programme=2, pairs_for_all=3)
    assert done.status_code == 302
    assert api.as_("coord_a1").get(f"/api/v1/audits/{audit_id}").json["state"] == (
        "awaiting_expert"
    )
    methodist = signed(app, "methodist.a")
    page = methodist.get(f"/audits/{audit_id}")
    expert = world.users["expert_a"]
    assigned = methodist.post(
        f"/audits/{audit_id}", data={"csrf_token": csrf(page), "expert_id": str(expert.id)}
    )
    assert "Эксперт назначен." in text(assigned)
    scorer = signed(app, "expert.a")
    url = f"/audits/{audit_id}/expert"
    finished = scores(scorer, url, "finish", local_act=1, programme=2, pairs_for_all=1)
    assert finished.status_code == 302
    stored = api.as_("methodist_a").get(f"/api/v1/audits/{audit_id}").json
    assert stored["state"] == "completed"
    results = text(methodist.get(f"/audits/{audit_id}"))
    table = results[results.index('id="results"') :]
    assert re.search(
        r"Нормативная база</td><td>4 \(100.0 %\)</td><td>3 \(75.0 %\)</td><td>1<", table
    )
    assert re.search(r"Практика</td><td>3 \(100.0 %\)</td><td>1 \(33.3 %\)</td><td>2<", table)


def test_the_picker_shows_only_eligible_experts(app, api, world, audit_id):
    with database.connection_context():
        insider = User.create(login="expert.a1", password_hash="x", full_name="Эксперт из А1")
        RoleGrant.create(user=insider, role="expert", scope=world.a1)
        far = User.create(login="expert.b", password_hash="x", full_name="Эксперт из Б")
        RoleGrant.create(user=far, role="expert", scope=world.muni_b)
    methodist = signed(app, "methodist.a")
    page = methodist.get(f"/audits/{audit_id}")
    options = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)<', text(page))
    assert options == [(str(world.users["expert_a"].id), "expert_a")]
    refused = methodist.post(
        f"/audits/{audit_id}", data={"csrf_token": csrf(page), "expert_id": str(insider.id)}
    )
    assert refused.status_code == 422 and error_of(text(refused), "expert_id")
    assert api.as_("methodist_a").get(f"/api/v1/audits/{audit_id}").json["expert_id"] is None
    assert signed(app, "expert.a").get(f"/audits/{audit_id}/expert").status_code == 403
    assert signed(app, "coord.a1").post(
        f"/audits/{audit_id}", data={"csrf_token": csrf(page), "expert_id": "1"}
    ).status_code in (400, 403)


def test_the_audit_list_and_menu(app, world, audit_id):
    home = text(signed(app, "methodist.a").get("/"))
    assert 'href="/audits">Аудиты<' in home and 'href="/forms">Формы<' in home
    coordinator = text(signed(app, "coord.a1").get("/audits"))
    assert "Школа А1" in coordinator and f"/audits/{audit_id}/self" in coordinator
    assert 'href="/forms">Формы<' not in text(signed(app, "coord.a1").get("/"))
    assert "Школа А1" not in text(signed(app, "methodist.b").get("/audits"))
