"""The diagnostics block's pages through the Flask test client, signed in through /signin:
a teacher's results and route, the staff pages of a coordinator and a methodist, the
operator's catalogues, an expert's assignments; every outcome checked through the API."""

import datetime as dt
import re

import pytest

from core.api.auth import principal_for
from core.db import database
from core.models import AuditEntry
from plugins.diagnostics.models import Step
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result
from tests.test_pages import csrf, sign_in

FORMATIVE = "Формирующее оценивание"
LITERACY = "Формирование функциональной грамотности обучающихся"


def with_pages(app):
    """The block's page blueprint on ``app``: the core registers it through
    ``register_pages`` once core.web lands; until then the test adds it (before any request)."""
    from plugins.diagnostics.pages import blueprint

    if "diagnostics_pages" not in app.blueprints:
        app.register_blueprint(blueprint())
    return app


@pytest.fixture(autouse=True)
def pages(app):
    return with_pages(app)


def signed_in(app, login):
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client


def text(response):
    return response.get_data(as_text=True)


def reads_by(login, via):
    """(staff id) of each personal-data read ``login`` left through ``via``, in order."""
    with database.connection_context():
        return [
            e.object_id
            for e in AuditEntry.select()
            .where(AuditEntry.action == "pd_read", AuditEntry.login == login)
            .order_by(AuditEntry.id)
            if e.after["via"] == via
        ]


def route_of(api, staff_id, who="methodist_a"):
    routes = api.as_(who).get(f"{BASE}/staff/{staff_id}/routes")
    assert routes.status_code == 200, routes.json
    return routes.json


@pytest.fixture
def planned(api, world, diag):
    """Петрова (the teacher, school A1): a low methodical result and a route of one step."""
    staff = world.staff_a1.id
    low = result(api, "methodist_a", staff, score=35, date=f"{YEAR}-01-20",
                 deficits=[deficit(diag, FORMATIVE)])  # fmt: skip
    assert low.status_code == 201, low.json
    route = api.as_("coord_a1").post(f"{BASE}/staff/{staff}/routes", json={}).json
    step = api.as_("methodist_a").post(
        f"{BASE}/routes/{route['id']}/steps",
        json={"kind": "self_education", "title": "Изучить приёмы формирующего оценивания",
              "planned_start": f"{YEAR}-02-01", "planned_end": f"{YEAR}-03-31"},
    )  # fmt: skip
    assert step.status_code == 201, step.json
    return route["id"], step.json["id"]


def test_pages_need_a_session_and_csrf(app, world, diag, planned):
    anonymous = app.test_client()
    page = anonymous.get("/diagnostics/my/route")
    assert page.status_code == 302 and "/signin" in page.headers["Location"]
    teacher = signed_in(app, "teacher.a1")
    forged = teacher.post(f"/diagnostics/my/steps/{planned[1]}/done", data={"evidence": "x"})
    assert forged.status_code == 400
    with database.connection_context():
        assert Step.get_by_id(planned[1]).status == "planned"


def test_a_teacher_sees_results_and_marks_a_step_done(app, api, world, diag, planned):
    route_id, step_id = planned
    teacher = signed_in(app, "teacher.a1")
    mine = teacher.get("/diagnostics/my/results")
    assert mine.status_code == 200
    page = text(mine)
    for shown in ("Методические компетенции", f"20.01.{YEAR}", "Региональная", "35", "низкий",
                  FORMATIVE):  # fmt: skip
        assert shown in page
    assert reads_by("teacher.a1", "diagnostics_results") == [world.staff_a1.id]

    route_page = teacher.get("/diagnostics/my/route")
    page = text(route_page)
    assert "Изучить приёмы формирующего оценивания" in page
    assert f"31.03.{YEAR}" in page and "запланирован" in page and "реализуется" in page
    assert reads_by("teacher.a1", "diagnostics_routes") == [world.staff_a1.id]

    # No evidence: refused, the message next to the field, nothing changed.
    refused = teacher.post(
        f"/diagnostics/my/steps/{step_id}/done", data={"csrf_token": csrf(route_page),
                                                       "evidence": "   "}
    )  # fmt: skip
    assert refused.status_code == 422
    assert re.search(
        rf'<textarea id="evidence-{step_id}"[^>]*aria-invalid="true"[^>]*>\s*</textarea>\s*'
        rf'<p class="error" id="evidence-{step_id}-error">'
        r"Для выполненного шага укажите подтверждение выполнения\.</p>",
        text(refused),
    )
    assert route_of(api, world.staff_a1.id)[0]["steps"][0]["status"] == "planned"

    done = teacher.post(
        f"/diagnostics/my/steps/{step_id}/done",
        data={"csrf_token": csrf(route_page), "evidence": "Конспект урока с листами оценивания"},
    )
    assert done.status_code == 302
    route = route_of(api, world.staff_a1.id)[0]
    assert route["id"] == route_id and route["status"] == "completed"
    assert route["steps"][0]["status"] == "done"
    assert route["steps"][0]["evidence"] == "Конспект урока с листами оценивания"

    # Re-diagnostics after the completed route: before, after, improved.
    today = dt.date.today().isoformat()
    again = result(api, "methodist_a", world.staff_a1.id, score=72, date=today)
    assert again.status_code == 201
    page = text(teacher.get(done.headers["Location"]))
    assert "Шаг отмечен выполненным." in page and "завершён" in page and "выполнен" in page
    assert "Повторная диагностика" in page
    assert re.search(r"35 % \(низкий\).*72 % \(повышенный\).*результат улучшился", page, re.S)


def test_staff_results_are_paginated_and_each_read_logged(app, api, world, diag):
    colleague = person(world.a1, "Алексеева Мария Олеговна")
    for staff in (world.staff_a1.id, colleague.id):
        assert result(api, "methodist_a", staff, score=55).status_code == 201
    coordinator = signed_in(app, "coord.a1")
    index = text(coordinator.get("/diagnostics/"))
    assert "Школа А1" in index and f"/diagnostics/organizations/{world.a1.id}/results" in index
    first = coordinator.get(f"/diagnostics/organizations/{world.a1.id}/results?per_page=1")
    page = text(first)
    assert first.status_code == 200
    assert "Алексеева Мария Олеговна" in page and "Петрова" not in page
    assert "Всего результатов: 2. Страница 1 из 2." in page and "Следующая" in page
    second = text(coordinator.get(f"/diagnostics/organizations/{world.a1.id}/results"
                                  "?per_page=1&page=2"))  # fmt: skip
    assert "Петрова Анна Ивановна" in second and "учитель, Школа А1" in second
    # The same reads the API leaves for the same pages.
    assert reads_by("coord.a1", "diagnostics_results") == [colleague.id, world.staff_a1.id]
    api.as_("coord_a1").get(f"{BASE}/organizations/{world.a1.id}/results?per_page=1")
    assert reads_by("coord.a1", "diagnostics_results")[-1] == colleague.id
    assert coordinator.get(f"/diagnostics/organizations/{world.a1.id}/results?page=0") \
        .status_code == 400  # fmt: skip


def test_a_methodist_builds_a_route_from_the_low_list(app, api, world, diag):
    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=30, deficits=[deficit(diag, FORMATIVE),
                                                          deficit(diag, LITERACY)])  # fmt: skip
    methodist = signed_in(app, "methodist.a")
    low = methodist.get(f"/diagnostics/organizations/{world.muni_a.id}/low")
    page = text(low)
    assert low.status_code == 200 and "Петрова Анна Ивановна" in page and LITERACY in page
    assert reads_by("methodist.a", "diagnostics_results") == [staff]
    built = methodist.post(f"/diagnostics/staff/{staff}/route", data={"csrf_token": csrf(low)})
    assert built.status_code == 302
    (route,) = route_of(api, staff)
    assert route["status"] == "active" and route["deficit_titles"] == [FORMATIVE, LITERACY]
    assert "Петрова" not in text(methodist.get(f"/diagnostics/organizations/{world.muni_a.id}/low"))
    twice = methodist.post(f"/diagnostics/staff/{staff}/route", data={"csrf_token": csrf(low)})
    assert twice.status_code == 409 and "У педагога уже есть действующий маршрут." in text(twice)
    assert len(route_of(api, staff)) == 1


def test_another_municipality_and_a_switched_off_block_answer_404(app, api, world, diag):
    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=30, deficits=[deficit(diag, FORMATIVE)])
    stranger = signed_in(app, "methodist.b")
    for url in (
        f"/diagnostics/organizations/{world.muni_a.id}/results",
        f"/diagnostics/organizations/{world.a1.id}/low",
        f"/diagnostics/staff/{staff}",
    ):
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert "Петрова" not in text(response) and "Ошибка 404" in text(response)
    assert reads_by("methodist.b", "diagnostics_results") == []

    methodist, teacher = signed_in(app, "methodist.a"), signed_in(app, "teacher.a1")
    off = api.as_("methodist_a").delete(f"/api/v1/organizations/{world.muni_a.id}/plugins/"
                                        "diagnostics")  # fmt: skip
    assert off.status_code in (200, 204)
    for client, url in [
        (methodist, f"/diagnostics/organizations/{world.muni_a.id}/results"),
        (methodist, f"/diagnostics/staff/{staff}"),
        (teacher, "/diagnostics/my/results"),
        (teacher, "/diagnostics/my/route"),
    ]:
        assert client.get(url).status_code == 404, url  # fmt: skip


def test_a_methodist_accepts_a_support_proposal(app, api, world, diag):
    from tests.test_diagnostics_support import strong

    teacher = person(world.a1, "Тестова Татьяна Игоревна")
    result(api, "operator", teacher.id, score=30, deficits=[deficit(diag, FORMATIVE)])
    mentor = person(world.a2, "Борисова Елена Викторовна")
    strong(api, mentor, "methodical", 88)

    coordinator = signed_in(app, "coord.a1")
    seen = text(coordinator.get(f"/diagnostics/staff/{teacher.id}"))
    assert "Борисова Елена Викторовна" in seen and "Тот же муниципалитет" in seen
    assert "Принять предложение" not in seen  # a coordinator sees, a methodist decides

    methodist = signed_in(app, "methodist.a")
    offer = methodist.get(f"/diagnostics/staff/{teacher.id}")
    page = text(offer)
    assert "Сильная сторона: методические компетенции (высокий уровень, 88 %)" in page
    assert "Нагрузка: 0 из 3 сопровождаемых шагов" in page and "Принять предложение" in page
    assert reads_by("methodist.a", "diagnostics_results") == [teacher.id]
    assert reads_by("methodist.a", "diagnostics_routes") == [teacher.id]
    stray = methodist.post(
        f"/diagnostics/staff/{teacher.id}/support",
        data={"csrf_token": csrf(offer), "kind": "mentor", "target": world.staff_b1.id},
    )
    assert stray.status_code == 422
    assert "Этого кандидата нет среди предложенных педагогу." in text(stray)
    assert route_of(api, teacher.id) == []

    accepted = methodist.post(
        f"/diagnostics/staff/{teacher.id}/support",
        data={"csrf_token": csrf(offer), "kind": "mentor", "target": mentor.id,
              "planned_start": f"{YEAR}-09-01", "planned_end": f"{YEAR}-12-20"},
    )  # fmt: skip
    assert accepted.status_code == 302
    (route,) = route_of(api, teacher.id)
    (step,) = route["steps"]
    assert route["status"] == "active" and route["deficit_titles"] == [FORMATIVE]
    assert (step["kind"], step["title"], step["supporter"]) == (
        "mentoring",
        "Наставничество: Борисова Елена Викторовна",
        "Борисова Елена Викторовна",
    )
    assert (step["planned_start"], step["planned_end"]) == (f"{YEAR}-09-01", f"{YEAR}-12-20")
    assert "Предложение принято: шаг добавлен в маршрут." in text(
        methodist.get(accepted.headers["Location"])
    )


def test_the_operator_edits_the_catalogues(app, api, world, diag):
    operator = signed_in(app, "operator")
    url = f"/diagnostics/regions/{world.region.id}/catalogue"
    page = operator.get(url)
    assert page.status_code == 200 and FORMATIVE in text(page)
    token = csrf(page)
    added = operator.post(f"/diagnostics/regions/{world.region.id}/deficits",
                          data={"csrf_token": token, "area": "methodical",
                                "title": "Наставничество молодых педагогов"})  # fmt: skip
    assert added.status_code == 302
    listing = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/deficits").json
    new = next(d for d in listing if d["title"] == "Наставничество молодых педагогов")
    assert new["area"] == "methodical" and new["active"] is True

    clash = operator.post(f"/diagnostics/regions/{world.region.id}/deficits/{new['id']}",
                          data={"csrf_token": token, "title": FORMATIVE})  # fmt: skip
    assert clash.status_code == 409
    assert re.search(
        rf'id="title-{new["id"]}"[^>]*aria-invalid="true"[^>]*>\s*'
        rf'<p class="error" id="title-{new["id"]}-error">Такой дефицит уже есть в каталоге\.</p>',
        text(clash),
    )
    empty = operator.post(f"/diagnostics/regions/{world.region.id}/deficits",
                          data={"csrf_token": token, "area": "digital", "title": ""})  # fmt: skip
    assert empty.status_code == 422 and 'id="new-deficit-title-error">Обязательное поле.' in \
        text(empty)  # fmt: skip
    archived = operator.post(f"/diagnostics/regions/{world.region.id}/deficits/{new['id']}",
                             data={"csrf_token": token, "active": "0"})  # fmt: skip
    assert archived.status_code == 302
    listing = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/deficits").json
    assert [(d["title"], d["active"]) for d in listing if d["id"] == new["id"]] == [
        ("Наставничество молодых педагогов", False)
    ]

    course = operator.post(
        f"/diagnostics/regions/{world.region.id}/courses",
        data={"csrf_token": token, "title": "Оценивание для обучения", "provider": "ЦНППМ",
              "hours": "36", "federal_register": "y", "active": "y",
              "deficits": [str(deficit(diag, FORMATIVE))]},
    )  # fmt: skip
    assert course.status_code == 302
    (saved,) = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/courses").json
    assert (saved["hours"], saved["federal_register"], saved["deficits"]) == (
        36, True, [deficit(diag, FORMATIVE)])  # fmt: skip
    edited = operator.post(
        f"/diagnostics/regions/{world.region.id}/courses/{saved['id']}",
        data={"csrf_token": token, "title": "Оценивание для обучения", "provider": "ЦНППМ",
              "hours": "72", "active": "y"},
    )  # fmt: skip
    assert edited.status_code == 302
    (saved,) = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/courses").json
    assert (saved["hours"], saved["federal_register"], saved["deficits"]) == (72, False, [])
    assert signed_in(app, "methodist.a").get(url).status_code == 403


def test_an_expert_sees_only_what_is_assigned(app, api, world, diag):
    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=41, date=f"{YEAR}-02-11")
    chosen = result(api, "methodist_a", staff, score=77, date=f"{YEAR}-04-22").json["id"]
    assigned = api.as_("methodist_a").put(
        f"{BASE}/results/{chosen}/expert", json={"user_id": world.users["expert_a"].id}
    )
    assert assigned.status_code == 200
    expert = signed_in(app, "expert.a")
    page = text(expert.get("/diagnostics/assigned"))
    assert "Петрова Анна Ивановна" in page and f"22.04.{YEAR}" in page and "77" in page
    assert f"11.02.{YEAR}" not in page and "Маршрутов нет." in page
    assert reads_by("expert.a", "diagnostics_results") == [staff]
    assert expert.get(f"/diagnostics/staff/{staff}").status_code == 403


def test_menu_links_and_home_widgets(app, api, world, diag, planned):
    from core.plugins import per_plugin

    pm = app.extensions["metodnet.pm"]

    def own(hook_name, who):  # what this block contributes (the engines add their own)
        principal = principal_for(world.users[who])
        found = per_plugin(pm, hook_name, principal=principal)
        return [item for name, items in found if name == "diagnostics" for item in items]

    def labels(who):
        return sorted(link["label"] for link in own("menu_links", who))

    def cards(who):
        return [str(card["html"]) for card in own("home_widgets", who)]

    with app.test_request_context(), database.connection_context():
        assert labels("teacher_a1") == ["Мои результаты", "Мой маршрут"]
        assert labels("methodist_a") == ["Диагностика"]
        assert labels("coord_b1") == ["Диагностика"]
        assert labels("operator") == ["Диагностика", "Каталоги диагностики"]
        assert labels("expert_a") == ["Назначено мне"]
        (card,) = cards("teacher_a1")
        assert "Выполнено шагов: 0 из 1." in card
        assert f"Ближайший шаг: Изучить приёмы формирующего оценивания (до 31.03.{YEAR})" in card
    other = person(world.a2, "Ежова Нина Петровна")
    result(api, "methodist_a", other.id, score=20)
    with app.test_request_context(), database.connection_context():
        (card,) = cards("methodist_a")
        assert "Педагогов с низкими результатами без маршрута: 1." in card
    api.as_("methodist_b").delete(f"/api/v1/organizations/{world.muni_b.id}/plugins/diagnostics")
    with app.test_request_context(), database.connection_context():
        assert labels("coord_b1") == [] and labels("methodist_b") == []


# --- a real browser --------------------------------------------------------------------


def live_app():
    """What the live server serves: the app, with the pages as ``with_pages`` adds them."""
    from core.app import create_app

    return with_pages(create_app())


def test_a_teacher_marks_a_step_done_in_a_real_browser(app, world, diag, planned, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import PASSWORD
    from tests.live_server import LiveServer
    from tests.test_browser_journey import CHROMIUM, FLAGS

    _, step_id = planned
    if not database.is_closed():
        database.close()
    server = LiveServer(
        app.config["DATABASE_URL"],
        tmp_path / "live",
        workers=1,
        app="tests.test_diagnostics_pages:live_app()",
    ).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            try:
                page = browser.new_context(locale="ru-RU").new_page()
                page.goto(server.url + "/diagnostics/my/results")
                page.fill("#login", "teacher.a1")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                expect(page.get_by_role("heading", name="Мои результаты")).to_be_visible()
                page.get_by_role("link", name="Мой маршрут").first.click()
                expect(page.get_by_role("heading", name="Мой маршрут")).to_be_visible()
                row = page.locator(f"#step-{step_id}")
                expect(row.locator(".state")).to_have_text("запланирован")
                row.get_by_label("Подтверждение выполнения").fill("Открытый урок 12.03")
                row.get_by_role("button", name="Отметить выполненным").click()
                expect(page.locator(".notice")).to_have_text("Шаг отмечен выполненным.")
                expect(page.locator(f"#step-{step_id} .state")).to_contain_text("выполнен")
                expect(page.locator("#route-status")).to_have_text("завершён")
                page.screenshot(path=str(tmp_path / "route-done.png"), full_page=True)
            finally:
                browser.close()
    finally:
        server.close()
    with database.connection_context():
        step = Step.get_by_id(step_id)
    assert (step.status, step.evidence) == ("done", "Открытый урок 12.03")
