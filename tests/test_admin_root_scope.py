"""The administrator's grant is installation-wide (scope "/"): no page or answer breaks on it."""

from core.db import database
from forms.models import Campaign, FormDefinition
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_audits_and_webhooks import CHECKLIST
from tests.test_pages import sign_in


def test_admin_lists_and_reads_campaigns(api, world, client):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    created = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    assert created.status_code == 201
    listed = api.as_("admin").get("/api/v1/campaigns")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json["items"]] == [created.json["id"]]
    one = api.as_("admin").get(f"/api/v1/campaigns/{created.json['id']}")
    assert one.status_code == 200 and one.json["title"] == created.json["title"]
    assert sign_in(client, "admin").status_code == 302
    page = client.get("/campaigns")
    assert page.status_code == 200
    assert created.json["title"] in page.get_data(as_text=True)


def test_admin_creates_a_form_and_a_checklist_without_scope(api, world):
    form = api.as_("admin").post("/api/v1/forms", json={**MONITORING, "code": "admin_form"})
    assert form.status_code == 201, form.json
    checklist = api.as_("admin").post("/api/v1/checklists", json=CHECKLIST)
    assert checklist.status_code == 201, checklist.json
    with database.connection_context():
        rows = {f.code: f.scope_id for f in FormDefinition.select()}
        assert Campaign.select().count() == 0
    assert rows["admin_form"] == world.region.id
    assert rows["custom_model_audit"] == world.region.id


def test_admin_names_the_scope_when_there_are_several_regions(api, world):
    from core import organizations

    with database.connection_context():
        organizations.create(kind="region", name="Регион Второй", code="r2")
    refused = api.as_("admin").post("/api/v1/forms", json={**MONITORING, "code": "admin_form"})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "scope_id": ["Укажите организацию, к которой относится форма."]
    }
    with database.connection_context():
        assert not FormDefinition.select().where(FormDefinition.code == "admin_form").exists()
    named = api.as_("admin").post(
        "/api/v1/forms",
        json={**MONITORING, "code": "admin_form"},
        query_string={"scope_id": world.region.id},
    )
    assert named.status_code == 201, named.json
