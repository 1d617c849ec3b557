"""Vocabularies the blocks extend without a core edit: statuses, support kinds,
personal-data fields (masked in the audit log)."""

from core import audit, vocabulary
from core.db import database
from core.models import AuditEntry, OrganizationStatus


def status(api, who, org, code):
    return api.as_(who).post(
        f"/api/v1/organizations/{org.id}/statuses",
        json={"status": code, "start_date": "2025-01-01"},
    )


def test_every_vocabulary_is_listed_with_codes_and_russian_labels(api):
    listed = api.as_("teacher_a1").get("/api/v1/vocabulary").json
    assert set(listed) == set(vocabulary.KINDS)
    statuses = {c["value"]: c["label"] for c in listed["organization_statuses"]}
    assert statuses["flagship"] == "Школа-флагман"
    assert statuses["mentor_school"] == "Школа-наставник"  # declared by mentoring
    assert {"value": "mentoring", "label": "Наставничество"} in listed["support_kinds"]
    assert {"value": "email", "label": "Электронная почта"} in listed["personal_data_fields"]
    assert "/api/v1/vocabulary" in api.get("/api/openapi.json").json["paths"]


def test_a_status_declared_by_a_block_is_accepted_and_listed(sample):
    api, world = sample
    created = status(api, "methodist_a", world.a1, "sample_site")
    assert created.status_code == 201, created.json
    assert created.json["title"] == "Площадка тестового блока"
    listed = api.as_("coord_a1").get("/api/v1/vocabulary").json["organization_statuses"]
    assert {"value": "sample_site", "label": "Площадка тестового блока"} in listed
    found = api.as_("methodist_a").get(
        "/api/v1/organizations", query_string={"status": "sample_site"}
    )
    assert [o["id"] for o in found.json["items"]] == [world.a1.id]
    with database.connection_context():
        assert OrganizationStatus.get().status == "sample_site"


def test_without_the_block_its_status_is_unknown(api, world):
    refused = status(api, "methodist_a", world.a1, "sample_site")
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["status"] == ["Недопустимое значение."]
    with database.connection_context():
        assert OrganizationStatus.select().count() == 0
    assert status(api, "methodist_a", world.a1, "low_results").status_code == 201


def test_support_kinds_come_from_the_vocabulary(api, world):
    url = f"/api/v1/staff/{world.staff_a1.id}/support-proposals"
    body = {"supporter_id": world.staff_b1.id, "reason": "дефицит"}
    refused = api.as_("methodist_a").post(url, json={**body, "kind": "tutoring"})
    assert refused.status_code == 422 and "kind" in refused.json["error"]["fields"]
    assert api.as_("methodist_a").post(url, json={**body, "kind": "internship"}).status_code == 201


def test_a_personal_data_field_declared_by_a_block_is_masked_in_the_audit_log(sample):
    api, world = sample
    note = api.as_("admin").post(
        f"/api/v1/sample/organizations/{world.a1.id}/curated-notes",
        json={"text": "Открытый урок", "nickname": "Ёжик"},
    )
    assert note.status_code == 201
    log = api.as_("operator").get("/api/v1/audit-log", query_string={"object_type": "sample_note"})
    [entry] = log.json["items"]
    assert entry["after"] == {"text": "Открытый урок", "sample_nickname": audit.PERSONAL}
    with database.connection_context():
        stored = AuditEntry.get(AuditEntry.object_type == "sample_note")
        assert "Ёжик" not in str(stored.after)
    # Only for the object types it names: the same key elsewhere is not personal data.
    with api.client.application.app_context():
        assert audit.redact("organization", {"sample_nickname": "x"}) == {"sample_nickname": "x"}
        assert audit.redact("staff", {"full_name": "Петрова"}) == {"full_name": audit.PERSONAL}
