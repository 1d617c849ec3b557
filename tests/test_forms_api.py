"""Custom forms through the API: validation of definitions, versions, visibility."""

import copy

from tests.forms_fixtures import MONITORING


def test_create_read_and_version(api, world):
    created = api.as_("operator").post("/api/v1/forms", json=MONITORING)
    assert created.status_code == 201, created.json
    assert created.json["version"] == 1
    same = api.as_("operator").post("/api/v1/forms", json=MONITORING)
    assert same.status_code == 200 and same.json["version"] == 1
    changed = copy.deepcopy(MONITORING)
    changed["sections"][0]["fields"][2]["max_length"] = 40
    second = api.as_("operator").post("/api/v1/forms", json=changed)
    assert second.status_code == 201 and second.json["version"] == 2
    latest = api.as_("coord_a1").get("/api/v1/forms/mentoring_check").json
    assert latest["version"] == 2 and latest["versions"] == [1, 2]
    old = api.as_("coord_a1").get("/api/v1/forms/mentoring_check", query_string={"version": 1})
    assert old.json["definition"]["sections"][0]["fields"][2]["max_length"] == 20
    listed = api.as_("teacher_a1").get("/api/v1/forms").json["items"]
    assert [(f["code"], f["version"]) for f in listed] == [("mentoring_check", 2)]


def test_invalid_definitions_name_the_bad_part(api, world):
    bad = copy.deepcopy(MONITORING)
    bad["sections"][0]["fields"][0]["type"] = "colour"
    bad["sections"][1]["fields"][3]["choices"] = []
    bad["rules"][0]["parts"] = ["pairs_teacher", "nope"]
    bad["sections"][0]["fields"][1]["visible_if"]["field"] = "ghost"
    response = api.as_("operator").post("/api/v1/forms", json=bad)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "sections.0.fields.0.type" in fields
    assert fields["sections.1.fields.3.choices"] == ["Укажите варианты выбора."]
    response = api.as_("operator").post(
        "/api/v1/forms",
        json={**MONITORING, "rules": [{"type": "sum", "parts": ["a", "b"], "total": "c"}]},
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"]["rules.0"] == ["Нет полей: a, b, c."]
    dup = copy.deepcopy(MONITORING)
    dup["sections"][1]["fields"][0]["name"] = "act_adopted"
    response = api.as_("operator").post("/api/v1/forms", json=dup)
    assert "sections.1.fields.0.name" in response.json["error"]["fields"]


def test_who_may_create_forms_and_where_they_are_seen(api, world):
    assert api.as_("coord_a1").post("/api/v1/forms", json=MONITORING).status_code == 403
    made = api.as_("methodist_a").post("/api/v1/forms", json=MONITORING)
    assert made.status_code == 201
    assert made.json["scope_id"] == world.muni_a.id
    assert api.as_("coord_a1").get("/api/v1/forms/mentoring_check").status_code == 200
    assert api.as_("coord_b1").get("/api/v1/forms/mentoring_check").status_code == 404
    assert api.as_("methodist_b").post("/api/v1/forms", json=MONITORING).status_code == 409


def test_checklists(api, world):
    checklist = {
        "code": "mentoring_audit",
        "title": "Аудит целевой модели наставничества",
        "sections": [
            {
                "title": "Нормативная база",
                "fields": [
                    {"name": "local_act", "type": "score", "label": "Локальный акт", "max": 2}
                ],
            },
        ],
    }
    response = api.as_("operator").post("/api/v1/checklists", json=checklist)
    assert response.status_code == 201
    assert response.json["kind"] == "checklist"
    assert [c["code"] for c in api.as_("expert_a").get("/api/v1/checklists").json["items"]] == [
        "mentoring_audit"
    ]
    not_a_score = copy.deepcopy(checklist)
    not_a_score["sections"][0]["fields"][0]["type"] = "integer"
    bad = api.as_("operator").post("/api/v1/checklists", json=not_a_score)
    assert bad.status_code == 422
    assert "sections.0.fields.0.type" in bad.json["error"]["fields"]
