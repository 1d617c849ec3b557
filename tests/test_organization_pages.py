"""The organisation pages through the test client, signed in through /signin: the tree and
its search, a card, create/edit/close, statuses and switching blocks; every change checked
through the API and the audit log, every refusal shown in Russian with nothing changed."""

import logging
import re

import pytest

from core import organizations as tree
from core.db import database
from core.models import AuditEntry, Organization, OrganizationStatus, RoleGrant
from tests.test_pages import csrf, sign_in


def signed_in(app, login):
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def post(client, url, data, page=None):
    token = csrf(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def audits(action, object_type):
    with database.connection_context():
        return list(
            AuditEntry.select().where(
                AuditEntry.action == action, AuditEntry.object_type == object_type
            )
        )


def test_the_tree_nests_levels_and_the_search_finds_by_name_and_code(app, world):
    operator = signed_in(app, "operator")
    page = operator.get("/organizations")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Region → hub → municipality Б → school Б1, nested lists of <details>.
    assert html.index("Регион Р") < html.index("Куст Х") < html.index("Муниципалитет Б")
    assert html.index("Муниципалитет Б") < html.index("Школа Б1")
    assert html.count("<details") == 4  # region, hub, two municipalities
    found = operator.get("/organizations?q=Б1")
    assert "Найдено: 1." in text(found) and "Школа Б1" in text(found)
    by_code = operator.get("/organizations?q=a2")
    assert "Сад А2" in text(by_code) and "Муниципалитет А" in text(by_code)
    # A methodist's tree is their municipality only.
    methodist = text(signed_in(app, "methodist.a").get("/organizations"))
    assert "Школа А1" in methodist and "Школа Б1" not in methodist


def test_search_results_are_paginated(app, world):
    with app.app_context(), database.connection_context():
        for n in range(55):
            tree.create(kind="school", name=f"Школа № {n}", code=f"s{n}", parent=world.muni_a)
    operator = signed_in(app, "operator")
    first = text(operator.get("/organizations?q=Школа №"))
    assert "Найдено: 55." in first and "Страница 1 из 2" in first
    second = text(operator.get("/organizations?q=Школа №&page=2"))
    assert second.count("Школа № ") == 5


def test_the_card_shows_statuses_staff_blocks_and_coordinator(app, api, world):
    with app.app_context(), database.connection_context():
        world.users["coord_a1"].email = "coord@a1.example"
        world.users["coord_a1"].save()
    api.as_("operator").post(
        f"/api/v1/organizations/{world.a1.id}/statuses",
        json={"status": "flagship", "start_date": "2024-09-01", "end_date": "2025-08-31"},
    )
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/mentoring")
    card = text(signed_in(app, "coord.a1").get(f"/organizations/{world.a1.id}"))
    assert "Тип Школа" in card and "Код a1" in card
    assert "Школа-флагман с 01.09.2024 по 31.08.2025" in card
    assert "Работников 1" in card
    assert "coord_a1, coord@a1.example" in card
    assert "Наставничество включён на уровне региона «Регион Р»" in card
    # A coordinator reads, never writes: no forms of change on their card.
    assert "Добавить статус" not in card and "Включить здесь" not in card


def test_create_edit_close_through_the_pages(app, api, world):
    methodist = signed_in(app, "methodist.a")
    url = f"/organizations/{world.muni_a.id}/new"
    made = post(methodist, url, {"kind": "school", "name": "Школа А3", "code": "a3"})
    assert made.status_code == 302
    listed = api.as_("methodist_a").get("/api/v1/organizations?q=a3").json["items"]
    assert [(o["name"], o["kind"], o["parent_id"]) for o in listed] == [
        ("Школа А3", "school", world.muni_a.id)
    ]
    new_id = listed[0]["id"]
    assert [e.object_id for e in audits("create", "organization")] == [new_id]
    edited = post(methodist, f"/organizations/{new_id}/edit", {"name": "Школа № 3", "code": "a3"})
    assert edited.status_code == 302
    assert api.as_("methodist_a").get(f"/api/v1/organizations/{new_id}").json["name"] == "Школа № 3"
    closed = post(
        methodist, f"/organizations/{new_id}/active", {"active": "0"}, f"/organizations/{new_id}"
    )
    assert closed.status_code == 302
    assert api.as_("methodist_a").get(f"/api/v1/organizations/{new_id}").json["active"] is False
    assert "Состояние закрыта" in text(methodist.get(f"/organizations/{new_id}"))


def test_a_duplicate_code_is_refused_next_to_the_field(app, api, world):
    methodist = signed_in(app, "methodist.a")
    refused = post(
        methodist, f"/organizations/{world.muni_a.id}/new",
        {"kind": "school", "name": "Двойник", "code": "a1"},
    )  # fmt: skip
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="code-error">Код уже используется в этом регионе\.', html)
    assert api.as_("methodist_a").get("/api/v1/organizations?q=Двойник").json["total"] == 0
    renamed = post(methodist, f"/organizations/{world.a2.id}/edit", {"name": "Сад", "code": "a1"})
    assert renamed.status_code == 422 and "Код уже используется" in text(renamed)
    assert api.as_("methodist_a").get(f"/api/v1/organizations/{world.a2.id}").json["code"] == "a2"


def test_another_municipality_is_404_and_reading_is_not_writing(app, world):
    methodist = signed_in(app, "methodist.a")
    assert methodist.get(f"/organizations/{world.b1.id}").status_code == 404
    refused = methodist.post(
        f"/organizations/{world.b1.id}/edit",
        data={"name": "Чужая", "code": "b1", "csrf_token": csrf(methodist.get("/organizations"))},
    )
    assert refused.status_code == 404 and "Страница не найдена" in text(refused)
    coordinator = signed_in(app, "coord.a1")
    assert coordinator.get(f"/organizations/{world.a1.id}/edit").status_code == 403
    with app.app_context(), database.connection_context():
        assert Organization.get_by_id(world.b1.id).name == "Школа Б1"


def test_statuses_added_ended_and_an_overlap_refused(app, api, world):
    operator = signed_in(app, "operator")
    card = f"/organizations/{world.a1.id}"
    added = post(
        operator, f"{card}/statuses",
        {"status": "resource_centre", "start_date": "2024-01-01", "note": "приказ 5"}, card,
    )  # fmt: skip
    assert added.status_code == 302
    rows = api.as_("operator").get(f"/api/v1/organizations/{world.a1.id}/statuses").json
    assert [(r["status"], r["start_date"], r["end_date"]) for r in rows] == [
        ("resource_centre", "2024-01-01", None)
    ]
    overlap = post(
        operator,
        f"{card}/statuses",
        {"status": "resource_centre", "start_date": "2025-01-01"},
        card,
    )
    assert overlap.status_code == 422
    assert re.search(
        r'id="start_date-error">Статус «Ресурсный центр» уже действует в этот период\.',
        overlap.get_data(as_text=True),
    )
    ended = post(operator, f"{card}/statuses/{rows[0]['id']}/end", {"end_date": "2024-12-31"}, card)
    assert ended.status_code == 302
    assert "Ресурсный центр с 01.01.2024 по 31.12.2024" in text(operator.get(card))
    with app.app_context(), database.connection_context():
        assert OrganizationStatus.select().count() == 1
    assert [e.action for e in AuditEntry.select().where(
        AuditEntry.object_type == "organization_status").order_by(AuditEntry.id)
    ] == ["create", "update"]  # fmt: skip


def test_switching_a_block_shows_where_it_comes_from(app, api, world):
    methodist = signed_in(app, "methodist.a")
    muni = f"/organizations/{world.muni_a.id}"
    on = post(
        methodist, f"/organizations/{world.muni_a.id}/blocks/mentoring", {"enabled": "1"}, muni
    )
    assert on.status_code == 302
    states = api.as_("methodist_a").get(f"/api/v1/plugins?organization={world.a1.id}").json
    mentoring = next(p for p in states["items"] if p["name"] == "mentoring")
    assert (mentoring["enabled"], mentoring["setting_at"]) == (True, world.muni_a.id)
    assert "Наставничество включён здесь" in text(methodist.get(muni))
    school = text(methodist.get(f"/organizations/{world.a1.id}"))
    assert "Наставничество включён на уровне муниципалитета «Муниципалитет А»" in school
    off = post(
        methodist, f"/organizations/{world.muni_a.id}/blocks/mentoring", {"enabled": "0"}, muni
    )
    assert off.status_code == 302
    assert "Наставничество отключён здесь" in text(methodist.get(muni))
    assert [e.action for e in audits("plugin_enable", "plugin_activation")] == ["plugin_enable"]
    assert len(audits("plugin_disable", "plugin_activation")) == 1
    # Another municipality's switch: 404, nothing stored.
    refused = post(
        methodist, f"/organizations/{world.muni_b.id}/blocks/mentoring", {"enabled": "1"}, muni
    )
    assert refused.status_code == 404
    states = api.as_("methodist_b").get(f"/api/v1/plugins?organization={world.b1.id}").json
    assert not next(p for p in states["items"] if p["name"] == "mentoring")["enabled"]


def test_menu_links(app, world):
    from tests.test_web_shell import menu

    class Page:
        def __init__(self, response):
            self.text = response.get_data(as_text=True)

    assert "Организации" in menu(Page(signed_in(app, "operator").get("/")))
    coordinator = menu(Page(signed_in(app, "coord.a1").get("/")))
    assert "Моя организация" in coordinator and "Организации" not in coordinator


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def queries(client, url):
    logger = logging.getLogger("peewee")
    counter, level = QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        assert client.get(url).status_code == 200
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count


@pytest.mark.parametrize("url", ["/organizations", "/organizations?q=Школа"])
def test_the_tree_and_search_read_a_fixed_number_of_queries(app, world, url):
    operator = signed_in(app, "operator")
    operator.get(url)  # warm the per-process caches
    before = queries(operator, url)
    with app.app_context(), database.connection_context():
        for n in range(30):
            muni = tree.create(kind="municipality", name=f"Муниципалитет {n}", code=f"m{n}",
                               parent=world.region)  # fmt: skip
            tree.create(kind="school", name=f"Школа {n}", code=f"sc{n}", parent=muni)
            RoleGrant.create(user=world.users["coord_a1"], role="school_coordinator", scope=muni)
    assert queries(operator, url) == before


# --- a real browser --------------------------------------------------------------------


def test_the_operator_switches_a_block_and_appoints_a_coordinator_in_a_real_browser(
    app, api, world, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import PASSWORD
    from tests.live_server import LiveServer
    from tests.test_browser_journey import CHROMIUM, FLAGS

    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "live", workers=1).start()
    shots, step = tmp_path / "screenshots", [0]
    shots.mkdir()

    def shot(page, name):
        step[0] += 1
        path = shots / f"{step[0]:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            try:
                page = browser.new_context(locale="ru-RU").new_page()
                page.goto(server.url + "/signin")
                page.fill("#login", "operator")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                page.get_by_role("link", name="Организации").click()
                expect(page.get_by_role("heading", name="Организации")).to_be_visible()
                shot(page, "tree")
                page.fill("#q", "Школа А1")
                page.get_by_role("button", name="Найти").click()
                expect(page.get_by_role("status")).to_have_text("Найдено: 1.")
                shot(page, "search")
                page.get_by_role("link", name="Школа А1").click()
                expect(page.get_by_role("heading", name="Школа А1")).to_be_visible()
                expect(page.locator("#block-mentoring .state")).to_have_text("не включён")
                shot(page, "school-card")
                page.get_by_role("link", name="Муниципалитет А").first.click()
                page.locator("#block-mentoring").get_by_role("button").click()
                expect(page.locator("#block-mentoring .state")).to_have_text("включён здесь")
                shot(page, "mentoring-on")
                page.get_by_role("link", name="Школа А1").click()
                expect(page.locator("#block-mentoring .state")).to_have_text(
                    "включён на уровне муниципалитета «Муниципалитет А»"
                )
                shot(page, "school-inherits")
                page.get_by_role("link", name="Пользователи").click()
                page.get_by_role("link", name="Новый пользователь").click()
                page.fill("#login", "ivanova")
                page.fill("#full_name", "Иванова Мария Петровна")
                page.fill("#email", "ivanova@a1.example")
                page.fill("#password", "long enough pass 1")
                page.select_option("#role", label="Координатор образовательной организации")
                page.select_option("#scope_id", label="Школа А1")
                shot(page, "new-user")
                page.get_by_role("button", name="Создать").click()
                expect(page.locator(".notice")).to_have_text("Изменения сохранены.")
                expect(page.locator("#grants")).to_contain_text("Школа А1")
                shot(page, "coordinator-granted")
            finally:
                browser.close()
    finally:
        server.close()
    users = api.as_("operator").get(f"/api/v1/users?role=school_coordinator&scope={world.a1.id}")
    assert sorted(u["login"] for u in users.json["items"]) == ["coord.a1", "ivanova"]
    plugins = api.as_("operator").get(f"/api/v1/plugins?organization={world.a1.id}").json
    mentoring = next(p for p in plugins["items"] if p["name"] == "mentoring")
    assert (mentoring["enabled"], mentoring["setting_at"]) == (True, world.muni_a.id)
    assert len(list(shots.iterdir())) == 7
