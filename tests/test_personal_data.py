"""Personal data (152-FZ): reads and exports are logged and listable by the regional operator;
erasure anonymises a record keeping the figures and proves itself with an audit extract;
the audit log holds no passwords, tokens or personal data values."""

import json
import re

from click.testing import CliRunner

from core.cli import main
from core.db import database
from core.models import AuditEntry, StaffMember, User
from tests.conftest import PASSWORD

LOG = "/api/v1/audit-log"


def log_for(api, staff, who="operator"):
    response = api.as_(who).get(LOG, query_string={"staff": staff.id, "per_page": 100})
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_reads_and_exports_of_a_record_are_listed_for_the_operator(api, world):
    assert api.as_("coord_a1").get(f"/api/v1/staff/{world.staff_a1.id}").status_code == 200
    listed = api.as_("methodist_a").get(
        f"/api/v1/organizations/{world.muni_a.id}/staff", query_string={"subtree": "true"}
    )
    assert listed.status_code == 200 and listed.json["total"] == 1
    exported = api.as_("methodist_a").get(
        "/api/v1/exports/staff", query_string={"scope": world.muni_a.id}
    )
    assert exported.status_code == 200
    # Exports without people and exports of another scope are not about this record.
    assert (
        api.as_("methodist_a")
        .get("/api/v1/exports/organizations", query_string={"scope": world.muni_a.id})
        .status_code
        == 200
    )
    assert (
        api.as_("methodist_b")
        .get("/api/v1/exports/staff", query_string={"scope": world.muni_b.id})
        .status_code
        == 200
    )

    entries = log_for(api, world.staff_a1)
    seen = [
        (e["login"], e["action"], (e["after"] or {}).get("via") or e["after"].get("code"))
        for e in reversed(entries)
    ]
    assert seen == [
        ("coord.a1", "pd_read", "record"),
        ("methodist.a", "pd_read", "list"),
        ("methodist.a", "export", "staff"),
    ]
    assert all(e["at"] for e in entries)
    # The other record was read by nobody but methodist B's export.
    assert [e["after"]["code"] for e in log_for(api, world.staff_b1)] == ["staff"]
    # Only the regional operator and the administrator list the log.
    assert api.as_("methodist_a").get(LOG, query_string={"staff": 1}).status_code == 403
    assert log_for(api, world.staff_a1, who="admin") == entries


def test_erasure_keeps_the_figures_and_proves_itself(api, world):
    roster = f"/api/v1/organizations/{world.region.id}/staff"
    query = {"subtree": "true", "as_of": 2025, "under_age": 35}

    def figures():
        everyone = api.as_("operator").get(roster, query_string={"subtree": "true"}).json
        young = api.as_("operator").get(roster, query_string=query).json
        return everyone["total"], young["total"]

    assert api.as_("teacher_a1").get("/api/v1/auth/me").status_code == 200
    before = figures()
    url = f"/api/v1/staff/{world.staff_a1.id}/erase"
    # Schools and methodists cannot erase; outside the scope the record does not exist.
    assert api.as_("coord_a1").post(url, json={}).status_code == 403
    assert api.as_("methodist_a").post(url, json={}).status_code == 403
    assert api.as_("methodist_b").post(url, json={}).status_code == 404

    response = api.as_("operator").post(url, json={"reason": "заявление от 01.09.2025"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["erased_fields"] == ["full_name", "code", "associations"]
    assert body["deactivated_users"] == [world.users["teacher_a1"].id]
    with database.connection_context():
        row = StaffMember.get_by_id(world.staff_a1.id)
        teacher = User.get_by_id(world.users["teacher_a1"].id)
    assert row.full_name == f"Обезличенный работник № {row.id}" and row.code is None
    assert (row.birth_year, row.teaching_since, row.active) == (1998, 2022, True)
    assert not teacher.active and teacher.email == "" and "teacher" not in teacher.full_name
    assert api.as_("teacher_a1").get("/api/v1/auth/me").status_code == 401  # token revoked
    assert figures() == before  # headcount and under-35s unchanged

    actions = [e["action"] for e in body["audit_extract"]]
    assert actions[-1] == "pd_erase" and "pd_read" in actions  # the operator's own reads
    assert body["audit_extract"][-1]["after"]["reason"] == "заявление от 01.09.2025"
    assert "Петрова" not in json.dumps(body, ensure_ascii=False)
    (erased,) = [e for e in log_for(api, world.staff_a1) if e["action"] == "pd_erase"]
    assert erased["id"] == body["audit_extract"][-1]["id"]


def test_cli_erase_writes_the_audit_extract(app, world, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    out = tmp_path / "extract.json"
    result = CliRunner().invoke(main, ["staff", "erase", str(world.staff_b1.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    extract = json.loads(out.read_text(encoding="utf-8"))
    assert extract["staff_id"] == world.staff_b1.id
    assert extract["audit_extract"][-1]["action"] == "pd_erase"
    assert extract["audit_extract"][-1]["login"] == "cli"
    with database.connection_context():
        assert StaffMember.get_by_id(world.staff_b1.id).full_name.startswith("Обезличенный")
    missing = CliRunner().invoke(main, ["staff", "erase", "999999", "-o", str(out)])
    assert missing.exit_code != 0 and "не найден" in missing.output


def test_audit_log_holds_no_secrets_and_no_personal_values(app, api, world):
    """A scripted session touching every kind of audited write, then a scan of the table."""
    secrets_and_values = {
        PASSWORD,
        "Strong-pass-42",
        "Кузнецова",
        "kuz@example.ru",
        "Новый Пользователь",
        "Петрова",
        "Сидоров",
        "t-1",
        "ТН-77",
    }
    operator, coord = api.as_("operator"), api.as_("coord_a1")
    token = api.client.post("/api/v1/auth/token", json={"login": "coord.a1", "password": PASSWORD})
    assert token.status_code == 201
    secrets_and_values.add(token.json["token"])
    secrets_and_values.update(world.tokens.values())
    wrong = api.client.post("/api/v1/auth/token", json={"login": "coord.a1", "password": "x-" * 6})
    assert wrong.status_code == 401
    staff = coord.post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={
            "full_name": "Кузнецова Ольга",
            "position": "учитель",
            "birth_year": 1987,
            "code": "ТН-77",
            "associations": ["клуб Кузнецова"],
        },
    )
    assert staff.status_code == 201
    patched = coord.patch(
        f"/api/v1/staff/{staff.json['id']}",
        json={"full_name": "Кузнецова-Петрова Ольга", "birth_year": 1986},
    )
    assert patched.status_code == 200
    user = operator.post(
        "/api/v1/users",
        json={
            "login": "kuz",
            "password": "Strong-pass-42",
            "full_name": "Новый Пользователь",
            "email": "kuz@example.ru",
            "grants": [{"role": "teacher", "scope_id": world.a1.id, "staff_id": staff.json["id"]}],
        },
    )
    assert user.status_code == 201, user.json
    assert (
        operator.patch(
            f"/api/v1/users/{user.json['id']}", json={"email": "kuz@example.ru.new"}
        ).status_code
        == 200
    )
    secrets_and_values.add("kuz@example.ru.new")
    browser = app.test_client()
    page = browser.get("/signin").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    assert (
        browser.post(
            "/signin", data={"login": "kuz", "password": "Strong-pass-42", "nonce": nonce}
        ).status_code
        == 302
    )
    assert operator.post(f"/api/v1/staff/{world.staff_a1.id}/erase", json={}).status_code == 200
    assert api.client.delete(
        "/api/v1/auth/token", headers={"Authorization": f"Bearer {token.json['token']}"}
    ).status_code in (200, 204)

    with database.connection_context():
        entries = list(AuditEntry.select().dicts())
    assert len(entries) >= 8
    actions = {e["action"] for e in entries}
    assert {"login_success", "create", "update", "pd_erase"} <= actions
    for entry in entries:
        text = json.dumps(entry, default=str, ensure_ascii=False)
        leaked = [s for s in secrets_and_values if s in text]
        assert not leaked, (entry["action"], entry["object_type"], leaked)
        for side in (entry["before"], entry["after"]):
            values = json.loads(side) if isinstance(side, str) else side
            if entry["object_type"] == "staff" and isinstance(values, dict):
                assert values.get("birth_year") in (None, "[персональные данные]")
