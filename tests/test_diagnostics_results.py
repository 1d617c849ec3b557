"""Diagnostics: catalogues, thresholds and levels, entering results (API, form, import)."""

import pytest
from click.testing import CliRunner

from core.db import database
from plugins.diagnostics.models import Deficit, Result
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result, xlsx
from tests.forms_fixtures import campaign_body

FORMATIVE = "Формирующее оценивание"
LITERACY = "Формирование функциональной грамотности обучающихся"
DIGITAL = "Организация дистанционного и смешанного обучения"


def count(model):
    with database.connection_context():
        return model.select().count()


def test_the_catalogue_ships_defaults_and_the_region_edits_it(api, world, diag):
    assert {d["area"] for d in diag.deficits.values()} == {
        "subject",
        "methodical",
        "psych_ped",
        "communicative",
        "digital",
    }
    url = f"{BASE}/regions/{world.region.id}/deficits"
    new = {"area": "digital", "title": "Искусственный интеллект в обучении"}
    assert api.as_("methodist_a").post(url, json=new).status_code == 403
    created = api.as_("operator").post(url, json=new)
    assert created.status_code == 201 and created.json["area_title"] == "Цифровые компетенции"
    again = api.as_("operator").post(url, json=new)
    assert again.status_code == 409 and "title" in again.json["error"]["fields"]
    bad = api.as_("operator").post(url, json={"area": "magic", "title": "x"})
    assert bad.status_code == 422 and "area" in bad.json["error"]["fields"]
    clash = api.as_("operator").patch(f"{url}/{created.json['id']}", json={"title": DIGITAL})
    assert clash.status_code == 409 and "title" in clash.json["error"]["fields"]
    archived = api.as_("operator").patch(f"{url}/{created.json['id']}", json={"active": False})
    assert archived.status_code == 200 and archived.json["active"] is False
    # Everyone who sees the region reads it; a school's coordinator included.
    assert len(api.as_("coord_b1").get(url).json) == len(diag.deficits) + 1
    # Settings live on the region, not on a municipality.
    wrong = api.as_("operator").get(f"{BASE}/regions/{world.muni_a.id}/deficits")
    assert wrong.status_code == 422 and "region_id" in wrong.json["error"]["fields"]


@pytest.mark.parametrize(
    ("score", "level"),
    [(100, "high"), (85, "high"), (84.9, "elevated"), (65, "elevated"), (64.9, "basic"),
     (40, "basic"), (39.9, "low"), (0, "low")],
)  # fmt: skip
def test_levels_follow_the_default_thresholds(api, world, diag, score, level):
    response = result(api, "methodist_a", world.staff_a1.id, score=score)
    assert response.status_code == 201, response.json
    assert response.json["level"] == level
    with database.connection_context():
        assert Result.get().level == level


def test_a_region_sets_its_own_thresholds_per_procedure(api, world, diag):
    url = f"/api/v1/organizations/{world.region.id}/settings/diagnostics"
    defaults = api.as_("operator").get(url).json
    assert defaults["thresholds"]["federal"] == {"high": 85, "elevated": 65, "basic": 40}
    assert defaults["load_cap"] == 3
    bad = api.as_("operator").put(
        url,
        json={"thresholds": {"federal": {"high": 50, "elevated": 70, "basic": 30}}, "load_cap": 3},
    )
    assert bad.status_code == 422
    assert "thresholds.federal.elevated" in bad.json["error"]["fields"]
    assert api.as_("operator").get(url).json == defaults  # nothing changed
    assert (
        api.as_("methodist_a").put(url, json={"thresholds": {}, "load_cap": 5}).status_code == 403
    )
    stricter = {"thresholds": {"federal": {"high": 90, "elevated": 70, "basic": 50}}, "load_cap": 4}
    assert api.as_("operator").put(url, json=stricter).status_code == 200
    federal = result(api, "methodist_a", world.staff_a1.id, procedure="federal", score=85)
    regional = result(api, "methodist_a", world.staff_a1.id, procedure="regional", score=85)
    assert (federal.json["level"], regional.json["level"]) == ("elevated", "high")
    assert api.as_("coord_a1").get(url).json["load_cap"] == 4


def test_bad_results_are_refused_and_store_nothing(api, world, diag):
    staff = world.staff_a1.id
    cases = [
        ({"deficits": [deficit(diag, DIGITAL)]}, "deficits", "другой области"),
        ({"deficits": [999999]}, "deficits", "не найден"),
        ({"score": 101}, "score", None),
        ({"procedure": "olympiad"}, "procedure", None),
        ({"date": "15.03.2025"}, "date", None),
        ({"level": "high"}, "level", None),  # computed, never accepted from the caller
    ]
    for values, field, text in cases:
        response = result(api, "methodist_a", staff, **values)
        assert response.status_code == 422, (values, response.json)
        messages = response.json["error"]["fields"][field]
        assert text is None or text in messages[0]
    assert count(Result) == 0


def test_same_key_updates_the_result(api, world, diag):
    first = result(api, "methodist_a", world.staff_a1.id, score=30)
    second = result(
        api, "methodist_a", world.staff_a1.id, score=70, deficits=[deficit(diag, FORMATIVE)]
    )
    assert first.json["id"] == second.json["id"] and second.json["level"] == "elevated"
    assert second.json["deficit_titles"] == [FORMATIVE]
    assert count(Result) == 1


def test_a_teacher_records_only_their_own_self_diagnosis(api, world, diag):
    mine = world.staff_a1.id
    refused = result(api, "teacher_a1", mine, procedure="regional")
    assert refused.status_code == 403
    assert result(api, "teacher_a1", mine, procedure="self", score=90).status_code == 201
    colleague = person(world.a1, "Коллегова Анна")
    assert result(api, "teacher_a1", colleague.id, procedure="self").status_code == 403
    assert result(api, "teacher_a1", world.staff_b1.id, procedure="self").status_code == 404
    assert result(api, "expert_a", mine).status_code == 403


def test_nothing_where_the_block_is_off(api, world, diag):
    api.as_("methodist_b").delete(f"/api/v1/organizations/{world.muni_b.id}/plugins/diagnostics")
    assert result(api, "operator", world.staff_b1.id).status_code == 404
    assert api.as_("operator").get(f"{BASE}/staff/{world.staff_b1.id}/results").status_code == 404
    routes = api.as_("operator").get(f"{BASE}/organizations/{world.muni_b.id}/routes")
    assert routes.status_code == 404


HEADERS = ["Табельный номер", "ФИО", "Код организации", "Процедура", "Дата",
           "Область компетенций", "Балл", "Дефициты"]  # fmt: skip


def upload(api, who, org, data, name="results.xlsx"):
    return api.as_(who).post(
        f"{BASE}/organizations/{org.id}/results/import",
        data={"file": (__import__("io").BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_import_reports_every_bad_row_and_records_nothing(api, world, diag):
    namesake = person(world.a1, "Иванова Мария Петровна")
    rows = [
        HEADERS,
        ["t-1", None, None, "Региональная", "15.10.2025", "Методические компетенции", 72.5,
         f"{FORMATIVE}; {LITERACY}"],
        [None, "иванова мария петровна", "a1", "федеральная", "16.10.2025", "digital", "88,0",
         None],
        ["nope", None, None, "Региональная", "15.10.2025", "Методические компетенции", 50, None],
        ["t-1", None, None, "Региональная", "32.10.2025", "Методические компетенции", 50, None],
        ["t-1", None, None, "Региональная", "17.10.2025", "Методические компетенции", 120, None],
        ["t-1", None, None, "Региональная", "18.10.2025", "Цифровые компетенции", 50, FORMATIVE],
        ["t-2", None, None, "Региональная", "15.10.2025", "Методические компетенции", 50, None],
        ["t-1", None, None, "Региональная", "15.10.2025", "Методические компетенции", 60, None],
    ]  # fmt: skip
    response = upload(api, "methodist_a", world.muni_a, xlsx(rows))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "import_failed"
    problems = {(p["row"], p["column"]) for p in response.json["error"]["problems"]}
    assert problems == {
        (4, "Табельный номер"),  # unknown number
        (5, "Дата"),  # 32 October
        (6, "Балл"),  # over 100
        (7, "Дефициты"),  # a methodical topic under the digital area
        (8, "Табельный номер"),  # t-2 works in municipality B, outside the scope
        (9, "Дата"),  # repeats row 2
    }
    assert count(Result) == 0
    good = upload(api, "methodist_a", world.muni_a, xlsx(rows[:3]))
    assert good.status_code == 200, good.json
    assert good.json == {"created": 2, "updated": 0, "unchanged": 0}
    again = upload(api, "methodist_a", world.muni_a, xlsx(rows[:3]))
    assert again.json == {"created": 0, "updated": 0, "unchanged": 2}
    results = api.as_("methodist_a").get(f"{BASE}/staff/{namesake.id}/results").json["results"]
    assert [(r["procedure"], r["area"], r["score"], r["level"]) for r in results] == [
        ("federal", "digital", 88.0, "high")
    ]
    mine = api.as_("methodist_a").get(f"{BASE}/staff/{world.staff_a1.id}/results").json
    assert mine["results"][0]["deficit_titles"] == [FORMATIVE, LITERACY]
    assert mine["results"][0]["level"] == "elevated"
    # Rights: a coordinator may not import for the municipality, a neighbour sees nothing.
    assert upload(api, "coord_a1", world.a1, xlsx(rows[:2])).status_code == 403
    assert upload(api, "methodist_b", world.muni_a, xlsx(rows[:2])).status_code == 404
    wrong_header = upload(api, "methodist_a", world.muni_a, xlsx([["Кто", "Балл"], ["x", 1]]))
    assert wrong_header.status_code == 422
    assert {p["column"] for p in wrong_header.json["error"]["problems"]} >= {"Кто", "Процедура"}


def test_import_from_the_command_line(app, api, world, diag, tmp_path, monkeypatch):
    from core.cli import main

    monkeypatch.setenv("METODNET_DATABASE_URL", app.config["DATABASE_URL"])
    path = tmp_path / "results.xlsx"
    path.write_bytes(
        xlsx(
            [
                HEADERS,
                [
                    "t-1",
                    None,
                    None,
                    "Муниципальная",
                    "01.02.2025",
                    "Коммуникативные компетенции",
                    41,
                    None,
                ],
            ]
        )  # fmt: skip
    )
    done = CliRunner().invoke(main, ["diagnostics", "import", str(path), "--scope", "a"])
    assert done.exit_code == 0, done.output
    assert "created 1" in done.output
    path.write_bytes(xlsx([HEADERS, ["zzz", None, None, "Муниципальная", "01.02.2025",
                                     "Коммуникативные компетенции", 41, None]]))  # fmt: skip
    failed = CliRunner().invoke(main, ["diagnostics", "import", str(path), "--scope", "a"])
    assert failed.exit_code == 1 and "row 2" in failed.output
    assert count(Result) == 1


def test_results_entered_through_the_form(api, world, diag):
    body = campaign_body(
        world.region.id,
        form_code="diagnostics_result",
        title="Результаты региональной диагностики",
        period_kind="year",
        period=str(YEAR),
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body)
    assert campaign.status_code == 201, campaign.json
    url = f"/api/v1/campaigns/{campaign.json['id']}/submissions/{world.staff_a1.id}"
    data = {
        "procedure": "Региональная",
        "date": f"{YEAR}-02-10",
        "area": "Методические компетенции",
        "score": 38.5,
        "deficits": "Формирующее оценивание\nНесуществующая тема",
    }
    refused = api.as_("coord_a1").put(url, json={"data": data})
    assert refused.status_code == 422
    assert "Несуществующая тема" in refused.json["error"]["fields"]["deficits"][0]
    data["deficits"] = "формирующее оценивание"
    assert api.as_("coord_a1").put(url, json={"data": data}).status_code == 201
    assert api.as_("coord_a1").post(f"{url}/submit", json={}).status_code == 200
    assert count(Result) == 0  # not before a methodist accepts it
    # The region archives the topic meanwhile: what the school sent is kept all the same.
    topic = deficit(diag, FORMATIVE)
    archive = f"{BASE}/regions/{world.region.id}/deficits/{topic}"
    assert api.as_("operator").patch(archive, json={"active": False}).status_code == 200
    assert api.as_("methodist_a").post(f"{url}/accept").status_code == 200
    with database.connection_context():
        stored = Result.get()
        assert (stored.source, stored.area, stored.level, float(stored.score)) == (
            "form",
            "methodical",
            "low",
            38.5,
        )
        assert stored.deficits == [Deficit.get(Deficit.title == FORMATIVE).id]


def test_questionnaires_for_teachers(api, world, diag):
    forms = {f["code"] for f in api.as_("operator").get("/api/v1/forms").json["items"]}
    assert {"diagnostics_result", "diagnostics_needs", "event_feedback"} <= forms
    body = campaign_body(
        world.region.id,
        form_code="event_feedback",
        title="Анкета: единый методический день",
        period_kind="month",
        period=f"{YEAR}-05",
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body)
    assert campaign.status_code == 201, campaign.json
    url = f"/api/v1/campaigns/{campaign.json['id']}/submissions/{world.staff_a1.id}"
    answers = {
        "event": "Единый методический день",
        "event_date": f"{YEAR}-05-15",
        "usefulness": 6,
        "relevance": 4,
        "content": 5,
        "participation": 3,
    }
    refused = api.as_("coord_a1").put(url, json={"data": answers})
    assert refused.status_code == 422 and "usefulness" in refused.json["error"]["fields"]
    answers["usefulness"] = 5
    saved = api.as_("coord_a1").put(url, json={"data": answers})
    assert saved.status_code == 201 and saved.json["data"]["participation"] == 3
