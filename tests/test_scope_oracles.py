"""An id outside the caller's scope answers exactly like an unknown id (status and body):
nothing tells whether another area's object exists."""

import pytest

from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_audits_and_webhooks import CHECKLIST

UNKNOWN = 987654


@pytest.fixture
def campaign_b(api, world):
    """A campaign of municipality B, outside municipality A."""
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    response = api.as_("methodist_b").post("/api/v1/campaigns", json=campaign_body(world.muni_b.id))
    assert response.status_code == 201, response.json
    return response.json


def same_answer(first, second):
    assert first.status_code == second.status_code
    assert first.json == second.json
    return first


@pytest.mark.parametrize("code", ["campaign_responses", "campaign_progress"])
def test_export_campaign_parameter(api, world, campaign_b, code):
    def ask(campaign_id):
        query = {"scope": world.muni_a.id, "campaign": campaign_id}
        return api.as_("methodist_a").get(f"/api/v1/exports/{code}", query_string=query)

    answer = same_answer(ask(campaign_b["id"]), ask(UNKNOWN))
    assert answer.status_code == 404
    assert answer.json["error"]["fields"] == {"campaign": ["Кампания не найдена."]}


def test_export_job_campaign_parameter(api, world, campaign_b):
    def ask(campaign_id):
        query = {"scope": world.muni_a.id, "campaign": campaign_id}
        return api.as_("methodist_a").post(
            "/api/v1/exports/campaign_responses/jobs", query_string=query
        )

    assert same_answer(ask(campaign_b["id"]), ask(UNKNOWN)).status_code == 404


def test_export_scope_parameter(api, world):
    def ask(scope_id):
        return api.as_("methodist_a").get("/api/v1/exports", query_string={"scope": scope_id})

    assert same_answer(ask(world.muni_b.id), ask(UNKNOWN)).status_code == 404


def test_campaign_id_in_the_path_and_its_patch(api, world, campaign_b):
    def ask(campaign_id):
        return api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign_id}")

    assert same_answer(ask(campaign_b["id"]), ask(UNKNOWN)).status_code == 404

    def change(campaign_id):
        return api.as_("methodist_a").patch(
            f"/api/v1/campaigns/{campaign_id}", json={"title": "Чужая", "reason": "проба"}
        )

    assert same_answer(change(campaign_b["id"]), change(UNKNOWN)).status_code == 404


def test_campaign_scope_id_and_progress_scope(api, world, campaign_b):
    def create(scope_id):
        body = campaign_body(scope_id)
        return api.as_("methodist_a").post("/api/v1/campaigns", json=body)

    assert same_answer(create(world.muni_b.id), create(UNKNOWN)).status_code == 422

    def progress(scope_id):
        return api.as_("methodist_b").get(
            f"/api/v1/campaigns/{campaign_b['id']}/progress", query_string={"scope": scope_id}
        )

    assert same_answer(progress(world.a1.id), progress(UNKNOWN)).status_code == 404


def test_audit_organization_and_expert(api, world):
    assert api.as_("operator").post("/api/v1/checklists", json=CHECKLIST).status_code == 201

    def start(org_id):
        body = {"checklist_code": "custom_model_audit", "organization_id": org_id}
        return api.as_("methodist_a").post("/api/v1/audits", json=body)

    assert same_answer(start(world.b1.id), start(UNKNOWN)).status_code == 422
    audit = start(world.a1.id).json

    def assign(user_id):
        return api.as_("methodist_a").put(
            f"/api/v1/audits/{audit['id']}/expert", json={"expert_id": user_id}
        )

    # A coordinator of another municipality exists but is no expert here.
    answer = same_answer(assign(world.users["coord_b1"].id), assign(UNKNOWN))
    assert answer.json["error"]["fields"] == {"expert_id": ["Эксперт не найден в этой области."]}
