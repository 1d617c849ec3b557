"""Campaign pages: create with the audience count, refusals beside the fields, copy for the
next period; forms and checklists (list, view, upload with errors in place); progress with
drill-down, natural order and who has not submitted."""

import datetime as dt
import json
import logging
import re

import pytest

from core import organizations as tree
from core.db import database
from core.models import RoleGrant, User
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_pages import browser, csrf, sign_in

TODAY = dt.date.today()


@pytest.fixture
def monitoring(api):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201


def signed(app, login):
    client = browser(app)
    sign_in(client, login)
    return client


def new_campaign_data(client, world, **overrides):
    data = {
        "csrf_token": csrf(client.get("/campaigns/new")),
        "form_code": "mentoring_check",
        "title": "Мониторинг, страница",
        "period_kind": "quarter",
        "year": str(TODAY.year),
        "quarter": "2",
        "month": "1",
        "scope_id": str(world.muni_a.id),
        "audience_kinds": ["school", "kindergarten"],
        "opens_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "deadline": (TODAY + dt.timedelta(days=9)).isoformat(),
        "action": "create",
    }
    data.update(overrides)
    return data


def campaign_titles(api):
    return [c["title"] for c in api.as_("operator").get("/api/v1/campaigns").json["items"]]


def text(response):
    return response.get_data(as_text=True)


def error_of(page, field):
    found = re.search(rf'id="{field}-error">([^<]*)<', page)
    return found.group(1) if found else None


def test_a_methodist_counts_the_audience_then_opens_the_campaign(app, api, world, monitoring):
    client = signed(app, "methodist.a")
    assert 'href="/campaigns/new">Новая кампания<' in text(client.get("/campaigns"))
    counted = client.post("/campaigns/new", data=new_campaign_data(client, world, action="count"))
    assert counted.status_code == 200
    assert "Охват: организаций — <strong>2</strong>" in text(counted)  # А1 and А2
    assert "Мониторинг, страница" not in campaign_titles(api)  # counting stores nothing
    only_schools = client.post(
        "/campaigns/new",
        data=new_campaign_data(client, world, action="count", audience_kinds=["school"]),
    )
    assert "Охват: организаций — <strong>1</strong>" in text(only_schools)
    live = client.get(
        "/campaigns/new/audience",
        query_string={
            "form_code": "mentoring_check", "period_kind": "year", "year": TODAY.year,
            "scope_id": world.muni_a.id, "audience_kinds": "school",
        },
    )  # fmt: skip
    assert live.json == {"organizations": 1, "staff": None}
    created = client.post("/campaigns/new", data=new_campaign_data(client, world))
    assert created.status_code == 302
    campaign_id = int(created.headers["Location"].split("/")[2])
    stored = api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign_id}").json
    assert stored["title"] == "Мониторинг, страница"
    assert stored["period"] == f"{TODAY.year}-Q2"
    assert stored["scope_id"] == world.muni_a.id
    assert sorted(stored["audience_kinds"]) == ["kindergarten", "school"]
    assert stored["accepts_late"] is False


def test_refused_campaigns_show_errors_beside_fields_and_store_nothing(app, api, world, monitoring):
    client = signed(app, "methodist.a")
    early = (TODAY - dt.timedelta(days=5)).isoformat()
    refused = client.post("/campaigns/new", data=new_campaign_data(client, world, deadline=early))
    assert refused.status_code == 422
    assert error_of(text(refused), "deadline") == "Срок сдачи раньше даты открытия."
    no_year = client.post(
        "/campaigns/new", data=new_campaign_data(client, world, year="", title="")
    )
    assert no_year.status_code == 422
    assert error_of(text(no_year), "year") == "Укажите год периода."
    assert error_of(text(no_year), "title") == "Длина должна быть от 1 до 500."
    bad_year = client.post("/campaigns/new", data=new_campaign_data(client, world, year="1990"))
    assert error_of(text(bad_year), "year") == "Год периода должен быть между 2000 и 2100."
    staff_limits = client.post(
        "/campaigns/new", data=new_campaign_data(client, world, under_age="35")
    )
    assert error_of(text(staff_limits), "under_age") == (
        "Возраст и стаж задаются только для форм работника."
    )
    foreign = client.post(
        "/campaigns/new", data=new_campaign_data(client, world, scope_id=str(world.muni_b.id))
    )
    assert foreign.status_code == 422 and error_of(text(foreign), "scope_id")
    assert campaign_titles(api) == []
    assert signed(app, "coord.a1").get("/campaigns/new").status_code == 403


def test_copying_a_campaign_prefills_the_next_period(app, api, world, monitoring):
    body = campaign_body(world.region.id, period_kind="quarter", period=f"{TODAY.year}-Q4")
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    listing = text(signed(app, "operator").get("/campaigns"))
    assert f"/campaigns/{campaign['id']}/copy" in listing
    assert f"/campaigns/{campaign['id']}/copy" not in text(
        signed(app, "methodist.a").get("/campaigns")
    )
    page = text(signed(app, "operator").get(f"/campaigns/{campaign['id']}/copy"))
    assert re.search(rf'<input[^>]*name="year"[^>]*value="{TODAY.year + 1}"', page)
    assert re.search(r'<option[^>]*selected[^>]*value="1"[^>]*>1 квартал', page) or re.search(
        r'<option[^>]*value="1"[^>]*selected[^>]*>1 квартал', page
    )
    assert "Копия кампании «Мониторинг наставничества, май»" in page
    deadline = dt.date.fromisoformat(body["deadline"])
    month = deadline.month + 3
    moved = deadline.replace(
        year=deadline.year + (month - 1) // 12,
        month=(month - 1) % 12 + 1,
        day=min(deadline.day, 28),
    )
    assert re.search(rf'name="deadline"[^>]*value="{moved:%Y-%m}-', page)
    assert "Охват: организаций — <strong>4</strong>" in page


def test_forms_list_view_and_an_upload_with_errors_in_place(app, api, world, monitoring):
    client = signed(app, "methodist.a")
    listing = text(client.get("/forms"))
    assert "Мониторинг наставничества" in listing
    view = text(client.get("/forms/mentoring_check"))
    assert "Локальный акт принят" in view and "Да/нет" in view and "Таблица" in view
    wrong = json.loads(json.dumps(MONITORING))
    wrong["code"] = "my_form"
    wrong["sections"][1]["fields"][3]["choices"] = "не список"
    wrong["sections"][0]["fields"][1]["type"] = "colour"
    form_page = client.get("/forms/new")
    refused = client.post(
        "/forms/new",
        data={
            "csrf_token": csrf(form_page),
            "kind": "form",
            "scope_id": str(world.muni_a.id),
            "text": json.dumps(wrong, ensure_ascii=False),
        },
    )
    assert refused.status_code == 422
    page = text(refused)
    assert "раздел 1 → поле 2 → тип" in page
    assert "раздел 2 → поле 4 → варианты выбора" in page
    assert "&#34;name&#34;: &#34;form_kind&#34;" in page  # the field's own excerpt
    assert "my_form" not in [
        f["code"] for f in api.as_("methodist_a").get("/api/v1/forms").json["items"]
    ]
    broken = client.post(
        "/forms/new",
        data={"csrf_token": csrf(form_page), "kind": "form", "scope_id": str(world.muni_a.id),
              "text": "{\n  \"code\": "},
    )  # fmt: skip
    assert error_of(text(broken), "text").startswith("Это не JSON: строка 2")
    fine = dict(MONITORING, code="my_form", title="Моя форма")
    added = client.post(
        "/forms/new",
        data={
            "csrf_token": csrf(form_page),
            "kind": "form",
            "scope_id": str(world.muni_a.id),
            "text": json.dumps(fine, ensure_ascii=False),
        },
    )
    assert added.status_code == 302
    mine = api.as_("methodist_a").get("/api/v1/forms/my_form").json
    assert mine["title"] == "Моя форма" and mine["version"] == 1
    assert signed(app, "coord.a1").get("/forms").status_code == 403


@pytest.fixture
def numbered(app, world):
    """Schools № 1, № 2, № 10 in municipality A, each with a coordinator."""
    with app.app_context(), database.connection_context():
        schools = []
        for number in (10, 2, 1):
            org = tree.create(
                kind="school", name=f"Школа № {number}", code=f"n{number}", parent=world.muni_a
            )
            schools.append(org)
        user = User.create(
            login="coord.n2", password_hash="x", full_name="Орлова Ирина", email="orlova@school.ru"
        )
        RoleGrant.create(user=user, role="school_coordinator", scope=schools[1])
    return schools


def test_progress_drills_down_in_natural_order_with_contacts(app, api, world, monitoring, numbered):
    campaign = (
        api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    )
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    client = signed(app, "operator")
    top = text(client.get(f"/campaigns/{campaign['id']}/progress"))
    assert top.index("Куст Х") < top.index("Муниципалитет А")
    assert f"scope={world.muni_a.id}" in top  # drill-down links
    muni = text(client.get(f"/campaigns/{campaign['id']}/progress?scope={world.muni_a.id}"))
    table = muni[: muni.index("Не сдали")]
    assert table.index("Школа № 1<") < table.index("Школа № 2<") < table.index("Школа № 10<")
    missing = muni[muni.index("Не сдали") :]
    assert missing.index("Школа № 1<") < missing.index("Школа № 2") < missing.index("Школа № 10")
    assert "Орлова Ирина" in missing and "mailto:orlova@school.ru" in missing
    assert f"/campaigns/{campaign['id']}/review/{world.a1.id}" in missing  # a draft: a link
    assert "Муниципалитет Б" not in missing
    region = text(client.get(f"/campaigns/{campaign['id']}/progress"))
    assert region.index("<h3>Муниципалитет А</h3>") < region.index("<h3>Муниципалитет Б</h3>")
    assert (
        signed(app, "methodist.b")
        .get(f"/campaigns/{campaign['id']}/progress?scope={world.muni_a.id}")
        .status_code
        == 404
    )


def count_queries(fetch):
    class Count(logging.Handler):
        n = 0

        def emit(self, record):
            self.n += 1

    counter, logger = Count(), logging.getLogger("peewee")
    logger.addHandler(counter)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        response = fetch()
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    assert response.status_code == 200
    return counter.n


def test_progress_reads_a_fixed_number_of_queries(app, api, world, monitoring):
    campaign = (
        api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    )
    client = signed(app, "operator")
    url = f"/campaigns/{campaign['id']}/progress?scope={world.muni_a.id}"
    before = count_queries(lambda: client.get(url))
    with app.app_context(), database.connection_context():
        for n in range(6):
            org = tree.create(
                kind="school", name=f"Школа № {n + 3}", code=f"q{n}", parent=world.muni_a
            )
            user = User.create(login=f"c{n}", password_hash="x", full_name=f"К {n}")
            RoleGrant.create(user=user, role="school_coordinator", scope=org)
    assert count_queries(lambda: client.get(url)) == before


@pytest.fixture
def journey(app, api, world, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.live_server import LiveServer
    from tests.test_audits_and_webhooks import CHECKLIST
    from tests.test_browser_journey import CHROMIUM, FLAGS

    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    assert api.as_("operator").post("/api/v1/checklists", json=CHECKLIST).status_code == 201
    audit = (
        api.as_("methodist_a")
        .post(
            "/api/v1/audits",
            json={
                "checklist_code": "custom_model_audit",
                "organization_id": world.a1.id,
                "expert_id": world.users["expert_a"].id,
            },
        )
        .json
    )
    points = {"local_act": 2, "programme": 1, "pairs_for_all": 3}
    own = {name: {"score": score, "evidence": ""} for name, score in points.items()}
    base = f"/api/v1/audits/{audit['id']}/self-assessment"
    assert api.as_("coord_a1").put(base, json={"data": own}).status_code == 200
    assert api.as_("coord_a1").post(f"{base}/submit").json["state"] == "expert_review"
    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "live", workers=2).start()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as playwright:
        browser_ = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield {"server": server, "browser": browser_, "shots": shots, "audit": audit["id"]}
        finally:
            browser_.close()
            server.close()


def test_open_fill_bulk_accept_progress_and_score_in_a_real_browser(journey, api, world):
    from playwright.sync_api import expect

    from tests.test_browser_journey import signed_in

    url, shots = journey["server"].url, journey["shots"]

    def shot(page, name):
        path = shots / f"{len(list(shots.glob('*.png'))) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    methodist = signed_in(journey, "methodist.a")
    methodist.get_by_role("link", name="Кампании").click()
    methodist.goto(url + "/campaigns/new")
    methodist.select_option("#form_code", label="Мониторинг наставничества")
    methodist.fill("#title", "Мониторинг школ, браузер")
    methodist.select_option("#period_kind", "year")
    expect(methodist.locator("#quarter-row")).to_be_hidden()  # a picker per period kind
    methodist.fill("#year", str(TODAY.year))
    methodist.select_option("#scope_id", label="Муниципалитет А")
    expect(methodist.locator("#audience-count")).to_contain_text("организаций — 2")
    methodist.uncheck("#audience_kinds-1")  # no kindergartens: only Школа А1
    methodist.uncheck("#audience_kinds-2")
    expect(methodist.locator("#audience-count")).to_contain_text("организаций — 1")
    methodist.fill("#opens_on", (TODAY - dt.timedelta(days=1)).isoformat())
    methodist.fill("#deadline", (TODAY + dt.timedelta(days=7)).isoformat())
    shot(methodist, "campaign-new-with-count")
    methodist.click("button[name=action][value=create]")
    expect(methodist.locator("h1")).to_have_text("Ход сбора данных")
    campaign_id = int(methodist.url.split("/campaigns/")[1].split("/")[0])
    shot(methodist, "campaign-opened")

    coord = signed_in(journey, "coord.a1")
    coord.get_by_role("link", name="Мониторинг школ, браузер").click()
    coord.select_option("#act_adopted", label="нет")
    for name in ("pairs_total", "pairs_teacher", "pairs_peer"):
        coord.fill(f"#{name}", "0")
    coord.click("button[name=action][value=submit]")
    expect(coord.locator(".notice")).to_have_text("Анкета отправлена на проверку.")
    shot(coord, "coordinator-submitted")

    methodist.goto(f"{url}/campaigns/{campaign_id}/review")
    methodist.select_option("#state", "submitted")
    methodist.select_option("#municipality", label="Муниципалитет А")
    methodist.get_by_role("button", name="Показать").click()
    methodist.check(f"#subject-{world.a1.id}")
    shot(methodist, "queue-filtered")
    methodist.get_by_role("button", name="Принять").click()
    expect(methodist.locator(".notice")).to_have_text("Принято анкет: 1.")
    shot(methodist, "bulk-accepted")
    methodist.goto(f"{url}/campaigns/{campaign_id}/progress")
    expect(methodist.locator("#share")).to_have_text("100.0 %")
    shot(methodist, "progress-100")

    expert = signed_in(journey, "expert.a")
    expert.get_by_role("link", name="Аудиты").click()
    expert.get_by_role("link", name="Оценить").click()
    for name, score in (("local_act", 1), ("programme", 1), ("pairs_for_all", 2)):
        expert.fill(f"#score__{name}", str(score))
    shot(expert, "expert-scoring")
    expert.get_by_role("button", name="Сохранить и завершить аудит").click()
    expect(expert.locator("#results")).to_contain_text("Практика")
    shot(expert, "audit-results")
    stored = api.as_("methodist_a").get(f"/api/v1/audits/{journey['audit']}").json
    assert stored["state"] == "completed" and stored["results"]["expert"]["points"] == 4
    progress = api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign_id}/progress").json
    assert progress["share_submitted"] == 1.0 and progress["total"] == 1
    assert len(list(shots.glob("*.png"))) == 8
