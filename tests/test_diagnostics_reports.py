"""Diagnostics: indicators by hand, exports read back, and who sees a teacher's results."""

import pytest

from core.db import database
from core.models import AuditEntry
from plugins.diagnostics.models import Route, Step
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result, sheet_rows

FORMATIVE = "Формирующее оценивание"
DIGITAL = "Организация дистанционного и смешанного обучения"


def make_course(api, world, diag, title, federal):
    return api.as_("operator").post(
        f"{BASE}/regions/{world.region.id}/courses",
        json={"title": title, "provider": "АСОУ", "hours": 36, "federal_register": federal,
              "deficits": [deficit(diag, FORMATIVE)]},
    ).json["id"]  # fmt: skip


def finish_course(api, route_id, course_id, on):
    step = (
        api.as_("methodist_a")
        .post(f"{BASE}/routes/{route_id}/steps", json={"kind": "course", "course_id": course_id})
        .json
    )
    done = api.as_("methodist_a").patch(
        f"{BASE}/steps/{step['id']}",
        json={"status": "done", "evidence": "удостоверение", "completed_on": on},
    )
    assert done.status_code == 200, done.json


@pytest.fixture
def figures(api, world, diag):
    """Municipality A: Петрова (A1) and four more; one inactive person with a result.

    Петрова: result this year (35, low), route completed by a federal-register course.
    Волков (A1): result this year (50, basic), route active with a done non-register course.
    Ежова (A1): result only last year (20, low), route cancelled → no route.
    Орлова (A1): no result.  Юдин (A2): no result.  Уволенная: inactive, result this year.
    """
    federal = make_course(api, world, diag, "Оценивание (ФР ДПП)", True)
    local = make_course(api, world, diag, "Оценивание (региональная)", False)
    petrova = world.staff_a1
    volkov = person(world.a1, "Волков Пётр")
    ezhova = person(world.a1, "Ежова Нина")
    person(world.a1, "Орлова Ольга")
    person(world.a2, "Юдин Юрий")
    gone = person(world.a1, "Уволенная Ирина", active=False)
    for staff, score, date in [
        (petrova, 35, f"{YEAR}-02-01"),
        (volkov, 50, f"{YEAR}-02-01"),
        (ezhova, 20, f"{YEAR - 1}-11-01"),
        (gone, 30, f"{YEAR}-02-01"),
    ]:
        made = result(api, "methodist_a", staff.id, score=score, date=date,
                      deficits=[deficit(diag, FORMATIVE)])  # fmt: skip
        assert made.status_code == 201
    result(api, "methodist_a", petrova.id, area="digital", score=60, date=f"{YEAR}-02-01",
           deficits=[deficit(diag, DIGITAL)])  # fmt: skip
    routes = {}
    for staff in (petrova, volkov, ezhova):
        routes[staff.full_name] = (
            api.as_("methodist_a").post(f"{BASE}/staff/{staff.id}/routes", json={}).json["id"]
        )
    finish_course(api, routes["Петрова Анна Ивановна"], federal, f"{YEAR}-04-01")
    finish_course(api, routes["Волков Пётр"], local, f"{YEAR}-04-01")
    api.as_("methodist_a").post(
        f"{BASE}/routes/{routes['Волков Пётр']}/steps",
        json={"kind": "event", "title": "Методический день"},
    )
    api.as_("methodist_a").patch(f"{BASE}/routes/{routes['Ежова Нина']}",
                                 json={"status": "cancelled"})  # fmt: skip
    return routes


def values_for(api, who, org, period=str(YEAR)):
    report = api.as_(who).get("/api/v1/indicators", query_string={"scope": org.id,
                                                                  "period": period})  # fmt: skip
    assert report.status_code == 200, report.json
    return {v["code"]: v for v in report.json["rows"][0]["values"]}


def test_indicators_by_hand(api, world, figures):
    values = values_for(api, "methodist_a", world.muni_a)

    def pair(code):
        return values[code]["numerator"], values[code]["denominator"], values[code]["status"]

    # 5 active staff; diagnosed this year: Петрова, Волков (Ежова last year, one inactive).
    assert pair("diagnostics_diagnosed_share") == (2, 5, "not_met")
    assert values["diagnostics_diagnosed_share"]["value"] == 40.0
    assert values["diagnostics_diagnosed_share"]["target"] == 60
    # Routes: Петрова, Волков (Ежова's is cancelled) → 2 of 5; completed 1 of 2.
    assert pair("diagnostics_route_share") == (2, 5, "not_met")
    assert pair("diagnostics_routes_completed") == (1, 2, "not_met")
    assert values["diagnostics_routes_completed"]["target"] == 80
    # A federal-register course completed this year: Петрова only.
    assert pair("diagnostics_course_share") == (1, 5, "not_met")
    assert values["diagnostics_course_share"]["target"] == 30
    # Municipality B has one teacher and nothing diagnosed; the region adds it up.
    assert values_for(api, "methodist_b", world.muni_b)["diagnostics_diagnosed_share"][
        "numerator"
    ] == 0  # fmt: skip
    region = values_for(api, "operator", world.region)
    assert (region["diagnostics_diagnosed_share"]["numerator"],
            region["diagnostics_diagnosed_share"]["denominator"]) == (2, 6)  # fmt: skip
    # Last year: only Ежова was diagnosed, and no course was completed.
    last = values_for(api, "methodist_a", world.muni_a, str(YEAR - 1))
    assert last["diagnostics_diagnosed_share"]["numerator"] == 1
    assert last["diagnostics_course_share"]["numerator"] == 0


def export(api, who, code, org):
    response = api.as_(who).get(f"/api/v1/exports/{code}", query_string={"scope": org.id})
    assert response.status_code == 200, response.json
    return response.data


def test_exports_read_back(api, world, figures):
    rows, _ = sheet_rows(export(api, "methodist_a", "diagnostics_results", world.muni_a),
                         "Результаты")  # fmt: skip
    petrova = [r for r in rows if r[0] == "Петрова Анна Ивановна"]
    assert [(r[3], r[5], r[6], r[7], r[8]) for r in petrova] == [
        ("Региональная", "Методические компетенции", 35.0, "низкий", FORMATIVE),
        ("Региональная", "Цифровые компетенции", 60.0, "базовый", DIGITAL),
    ]
    assert len(rows) == 5  # four people's methodical results and Петрова's digital one

    rows, _ = sheet_rows(export(api, "methodist_a", "diagnostics_routes_register", world.muni_a),
                         "ИОМ")  # fmt: skip
    assert [(r[0], r[3], r[5], r[6], r[7]) for r in rows] == [
        ("Волков Пётр", "реализуется", 2, 1, 0.5),
        ("Ежова Нина", "отменён", 0, 0, 0.0),
        ("Петрова Анна Ивановна", "завершён", 1, 1, 1.0),
    ]

    rows, sheet = sheet_rows(export(api, "operator", "diagnostics_deficits_map", world.region),
                             "Дефициты")  # fmt: skip
    # Latest result per person and area with a deficit: A has 4 methodical (incl. the inactive
    # person's, who was diagnosed) and 1 digital; B has none.
    assert rows == [("Муниципалитет А", 0, 4, 0, 0, 1), ("Муниципалитет Б", 0, 0, 0, 0, 0)]
    ranges = [str(rng.sqref) for rng in sheet.conditional_formatting]
    assert ranges == ["B7:F8"]

    gap, _ = sheet_rows(export(api, "methodist_a", "diagnostics_low_without_route", world.muni_a),
                        "Без маршрута")  # fmt: skip
    # Low and no route: Ежова (her route was cancelled); Петрова has one; the inactive
    # person is not on the list a methodist acts on.
    assert [(r[0], r[3], r[4]) for r in gap] == [("Ежова Нина", "Методические компетенции", 20.0)]


def test_the_active_export(api, world, diag):
    star = person(world.a2, "Звёздная Анна")
    result(api, "methodist_a", star.id, area="digital", score=97)
    rows, _ = sheet_rows(export(api, "operator", "diagnostics_active", world.region), "Актив")
    assert rows == [("Звёздная Анна", "Сад А2", "Цифровые компетенции", "предложен", 97.0, 0, 3)]


ROLES = ["admin", "operator", "methodist_a", "methodist_b", "coord_a1", "coord_b1",
         "expert_a", "teacher_a1"]  # fmt: skip
# Петрова's results and routes (staff of school A1): who reads them.
EXPECTED = {"admin": 200, "operator": 200, "methodist_a": 200, "methodist_b": 404,
            "coord_a1": 200, "coord_b1": 404, "expert_a": 403, "teacher_a1": 200}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_who_reads_a_teachers_results(api, world, figures, who):
    staff = world.staff_a1.id
    route_id = figures["Петрова Анна Ивановна"]
    urls = [f"{BASE}/staff/{staff}/results", f"{BASE}/staff/{staff}/routes",
            f"{BASE}/routes/{route_id}"]  # fmt: skip
    with database.connection_context():
        before = AuditEntry.select().where(AuditEntry.action == "pd_read").count()
    for url in urls:
        response = api.as_(who).get(url)
        assert response.status_code == EXPECTED[who], (url, response.json)
        if response.status_code != 200:
            assert "Петрова" not in response.get_data(as_text=True)
    with database.connection_context():
        reads = list(
            AuditEntry.select()
            .where(AuditEntry.action == "pd_read")
            .order_by(AuditEntry.id)
            .offset(before)
        )
    if EXPECTED[who] == 200:
        login = who.replace("_", ".")
        assert [(e.object_type, e.object_id, e.login, e.after["via"]) for e in reads] == [
            ("staff", staff, login, "diagnostics_results"),
            ("staff", staff, login, "diagnostics_routes"),
            ("staff", staff, login, "diagnostics_routes"),
        ]
    else:
        assert reads == []
    # Lists under an organisation: the same people, and a teacher never.
    listing = api.as_(who).get(f"{BASE}/organizations/{world.a1.id}/results")
    assert listing.status_code == {"teacher_a1": 403}.get(who, EXPECTED[who])


def test_an_expert_sees_only_what_is_assigned(api, world, figures):
    staff = world.staff_a1.id
    results = api.as_("methodist_a").get(f"{BASE}/staff/{staff}/results").json["results"]
    chosen = results[0]["id"]
    url = f"{BASE}/results/{chosen}/expert"
    not_expert = api.as_("methodist_a").put(url, json={"user_id": world.users["coord_a1"].id})
    assert not_expert.status_code == 422 and "user_id" in not_expert.json["error"]["fields"]
    assert api.as_("coord_a1").put(url, json={"user_id": world.users["expert_a"].id}).status_code \
        == 403  # fmt: skip
    assigned = api.as_("methodist_a").put(url, json={"user_id": world.users["expert_a"].id})
    assert assigned.status_code == 200 and assigned.json["expert_id"] == world.users["expert_a"].id
    mine = api.as_("expert_a").get(f"{BASE}/staff/{staff}/results").json["results"]
    assert [r["id"] for r in mine] == [chosen]  # only the assigned one of Петрова's two
    assert [r["id"] for r in api.as_("expert_a").get(f"{BASE}/assigned/results").json] == [chosen]
    # Routes stay closed until the expert tutors one.
    route_id = figures["Петрова Анна Ивановна"]
    assert api.as_("expert_a").get(f"{BASE}/routes/{route_id}").status_code == 403
    api.as_("methodist_a").patch(f"{BASE}/routes/{route_id}",
                                 json={"tutor_user_id": world.users["expert_a"].id})  # fmt: skip
    assert api.as_("expert_a").get(f"{BASE}/routes/{route_id}").status_code == 200
    assert [r["id"] for r in api.as_("expert_a").get(f"{BASE}/assigned/routes").json] == [route_id]
    # The operator lists every access to Петрова's record, the block's reads included.
    log = api.as_("operator").get("/api/v1/audit-log", query_string={"staff": staff}).json["items"]
    reads = {(e["login"], e["after"]["via"]) for e in log if e["action"] == "pd_read"}
    assert {("expert.a", "diagnostics_results"), ("expert.a", "diagnostics_routes")} <= reads
    assert ("methodist.a", "diagnostics_results") in reads


def test_audit_entries_hold_no_personal_values(api, world, figures):
    with database.connection_context():
        entries = [
            f"{e.before} {e.after}"
            for e in AuditEntry.select().where(AuditEntry.object_type.startswith("diagnostics"))
        ]
        assert Step.select().count() >= 3 and Route.select().count() == 3
    assert entries
    for text in entries:
        for name in ("Петрова", "Волков", "Ежова", "Уволенная", "удостоверение"):
            assert name not in text


def test_erasure_keeps_the_figures_and_clears_free_text(api, world, figures):
    before = values_for(api, "methodist_a", world.muni_a)
    route_id = figures["Петрова Анна Ивановна"]
    api.as_("methodist_a").patch(
        f"{BASE}/routes/{route_id}", json={"note": "переводится в гимназию"}
    )
    erased = api.as_("operator").post(
        f"/api/v1/staff/{world.staff_a1.id}/erase", json={"reason": "заявление"}
    )
    assert erased.status_code == 200, erased.json
    cleared = set(erased.json["cleared_by_blocks"])
    assert {
        "diagnostics: заметки маршрутов",
        "diagnostics: подтверждения выполнения шагов",
    } <= cleared
    route = api.as_("methodist_a").get(f"{BASE}/routes/{route_id}").json
    assert route["full_name"].startswith("Обезличенный работник")
    assert route["note"] == "" and all(s["evidence"] == "" for s in route["steps"])
    assert route["status"] == "completed"  # what was done stays done
    assert values_for(api, "methodist_a", world.muni_a) == before


def test_lists_read_a_page_in_a_fixed_number_of_queries(api, world, figures):
    """Names, progress and deficit titles of a page come with it, not one query per row."""
    import logging

    class Count(logging.Handler):
        n = 0

        def emit(self, record):
            self.n += 1

    def queries(per_page):
        counter, logger = Count(), logging.getLogger("peewee")
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        try:
            response = api.as_("methodist_a").get(
                f"{BASE}/organizations/{world.muni_a.id}/routes",
                query_string={"per_page": per_page},
            )
        finally:
            logger.removeHandler(counter)
            logger.setLevel(logging.WARNING)
        assert len(response.json["items"]) == per_page
        return counter.n

    assert queries(1) == queries(3)
