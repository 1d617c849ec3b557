"""The core's own pages, the way a user goes: the block settings page (a form built from the
block's schema, saved through the same function as the API, with its rule and audit) and the
growth profile page with «Портфолио педагога»."""

import datetime as dt
import io
import re

import openpyxl
import pytest

from core import activities
from core.db import database
from core.models import AuditEntry, BlockSetting
from tests.access_fixtures import STRONG, create_and_sign_in
from tests.conftest import PASSWORD
from tests.diagnostics_fixtures import person
from tests.test_pages import csrf


def signed_in(app, login, password=PASSWORD):
    client = app.test_client()
    page = client.get("/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    answer = client.post("/signin", data={"login": login, "password": password, "nonce": nonce})
    assert answer.status_code == 302, login
    return client


def menu(page) -> list[str]:
    nav = re.search(r'<nav class="menu" aria-label="Разделы">(.*?)</nav>', page.text, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1))


def switch_on(api, world, plugin):
    url = f"/api/v1/organizations/{world.muni_a.id}/plugins/{plugin}"
    assert api.as_("methodist_a").put(url).status_code == 200


def settings_url(world, plugin="mentoring"):
    return f"/settings/regions/{world.region.id}/{plugin}"


def api_settings(api, world, plugin="mentoring"):
    return api.as_("operator").get(f"/api/v1/organizations/{world.region.id}/settings/{plugin}")


def error_of(page, name) -> str:
    """The message shown next to the input ``name``."""
    fid = "f-" + name.replace(".", "-")
    found = re.search(rf'<div class="error" id="{fid}-error">([^<]*)</div>', page.text)
    return found.group(1) if found else ""


def nothing_stored():
    with database.connection_context():
        assert BlockSetting.select().count() == 0
        assert AuditEntry.select().where(AuditEntry.object_type == "block_setting").count() == 0


# --- block settings --------------------------------------------------------------------


def test_operator_changes_the_mentee_cap_on_the_page(app, api, world):
    switch_on(api, world, "mentoring")
    operator = signed_in(app, "operator")
    links = dict((label, href) for href, label in menu(operator.get("/")))
    assert links["Настройки блоков"] == "/settings"
    region = operator.get("/settings", follow_redirects=True)
    assert region.request.path == f"/settings/regions/{world.region.id}"
    assert "Наставничество" in region.text and "Диагностика" not in region.text  # off there
    form = operator.get(settings_url(world))
    assert form.status_code == 200
    assert "Наставляемых у одного наставника, не более" in form.text
    assert 'name="mentee_cap" value="3"' in form.text  # the default, shown
    saved = operator.post(settings_url(world), data={"csrf_token": csrf(form), "mentee_cap": "5"})
    assert saved.status_code == 200 and "Настройки сохранены" in saved.text
    assert 'name="mentee_cap" value="5"' in saved.text
    assert api_settings(api, world).json == {"mentee_cap": 5}
    with database.connection_context():
        [entry] = AuditEntry.select().where(AuditEntry.object_type == "block_setting")
    assert entry.user_id == world.users["operator"].id
    assert entry.before["values"] == {"mentee_cap": 3}
    assert entry.after["values"] == {"mentee_cap": 5}
    assert entry.before["plugin"] == entry.after["plugin"] == "mentoring"


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5", "Значение должно быть"), ("много", "целое число"), ("", "Обязательное поле")],
)
def test_a_wrong_value_is_shown_next_to_its_field_and_nothing_is_stored(
    app, api, world, value, message
):
    switch_on(api, world, "mentoring")
    operator = signed_in(app, "operator")
    form = operator.get(settings_url(world))
    refused = operator.post(
        settings_url(world),
        data={"csrf_token": csrf(form), "mentee_cap": value},
    )
    assert refused.status_code == 422
    assert message in error_of(refused, "mentee_cap"), refused.text
    assert f'name="mentee_cap" value="{value}"' in refused.text  # what was typed stays
    assert "Настройки сохранены" not in refused.text
    nothing_stored()
    assert api_settings(api, world).json["mentee_cap"] == 3


def test_a_methodist_reads_the_values_and_a_forged_post_is_refused(app, api, world):
    switch_on(api, world, "mentoring")
    methodist = signed_in(app, "methodist.a")
    assert "Настройки блоков" not in [label for _, label in menu(methodist.get("/"))]
    page = methodist.get(settings_url(world))
    assert page.status_code == 200
    assert "Только просмотр" in page.text and "Наставляемых у одного" in page.text
    assert "<strong>3</strong>" in page.text
    assert 'name="mentee_cap"' not in page.text and "Сохранить" not in page.text
    token = csrf(methodist.get("/"))  # the sign-out form carries the session's token
    forged = methodist.post(
        settings_url(world),
        data={"csrf_token": token, "mentee_cap": "1"},
    )
    assert forged.status_code == 403 and forged.mimetype == "text/html"
    assert "Недостаточно прав" in forged.text
    nothing_stored()


def test_another_regions_operator_and_a_block_off_get_404(app, api, world):
    switch_on(api, world, "mentoring")
    other = api.as_("admin").post(
        "/api/v1/organizations", json={"kind": "region", "name": "Другой регион", "code": "o"}
    )
    grant = [{"role": "regional_operator", "scope_id": other.json["id"]}]
    create_and_sign_in(api, "admin", "other.operator", grant)
    stranger = signed_in(app, "other.operator", STRONG)
    for url in (settings_url(world), f"/settings/regions/{world.region.id}"):
        refused = stranger.get(url)
        assert refused.status_code == 404 and refused.mimetype == "text/html", url
    token = csrf(stranger.get("/"))
    posted = stranger.post(settings_url(world), data={"csrf_token": token, "mentee_cap": "1"})
    assert posted.status_code == 404
    operator = signed_in(app, "operator")
    assert operator.get(settings_url(world, "diagnostics")).status_code == 404  # off everywhere
    assert operator.get(settings_url(world, "olympiads")).status_code == 404  # no such block
    nothing_stored()


DIAGNOSTICS = {
    f"thresholds.{procedure}.{level}": value
    for procedure in ("federal", "regional", "municipal", "self")
    for level, value in (("high", "85"), ("elevated", "65"), ("basic", "40"))
}


def test_nested_thresholds_are_grouped_and_saved(app, api, world):
    switch_on(api, world, "diagnostics")
    operator = signed_in(app, "operator")
    form = operator.get(settings_url(world, "diagnostics"))
    assert form.text.count("<fieldset") == 5  # the thresholds, and one per procedure
    assert "<legend>Пороги уровней, % от максимального балла</legend>" in form.text
    assert 'name="thresholds.federal.high" value="85"' in form.text
    data = {
        **DIAGNOSTICS,
        "csrf_token": csrf(form),
        "thresholds.federal.high": "90",
        "thresholds.federal.elevated": "70,5",  # a Russian decimal comma
        "thresholds.federal.basic": "50",
        "load_cap": "4",
    }
    saved = operator.post(settings_url(world, "diagnostics"), data=data)
    assert saved.status_code == 200 and "Настройки сохранены" in saved.text
    stored = api_settings(api, world, "diagnostics").json
    assert stored["thresholds"]["federal"] == {"high": 90, "elevated": 70.5, "basic": 50}
    assert stored["thresholds"]["self"] == {"high": 85, "elevated": 65, "basic": 40}
    assert stored["load_cap"] == 4
    # Not descending: refused next to the field, the stored values unchanged.
    data.update({"thresholds.regional.elevated": "95", "load_cap": "5"})
    refused = operator.post(settings_url(world, "diagnostics"), data=data)
    assert refused.status_code == 422
    assert "Пороги должны убывать" in error_of(refused, "thresholds.regional.elevated")
    assert api_settings(api, world, "diagnostics").json == stored


# --- growth profile --------------------------------------------------------------------


def talk(world, staff=None):
    with database.connection_context():
        activities.record(
            staff or world.staff_a1,
            block="core",
            source=("talk", 1),
            kind="event",
            role="speaker",
            level="municipal",
            title="Доклад на августовском совещании",
            date=dt.date(2024, 8, 28),
            hours=2,
            result="winner",
            evidence="Приказ № 12",
        )


def test_the_teacher_opens_my_profile_and_reads_russian_labels(app, world):
    talk(world)
    teacher = signed_in(app, "teacher.a1")
    links = {label: href for href, label in menu(teacher.get("/"))}
    assert links["Мой профиль"] == f"/staff/{world.staff_a1.id}/profile"
    page = teacher.get(links["Мой профиль"])
    assert page.status_code == 200
    text = page.text
    assert "Петрова Анна Ивановна" in text and "Школа А1" in text and "учитель" in text
    row = re.search(r'<tr class="activity">(.*?)</tr>', text, re.S).group(1)
    cells = [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells == [
        "28.08.2024",
        "Методическое мероприятие",
        "Выступающий",
        "Муниципальный",
        "Доклад на августовском совещании",
        "Победитель",
        "2",
        "Приказ № 12",
    ]
    for code in ("speaker", "municipal", "winner", ">event<"):
        assert code not in text
    assert "Портфолио педагога" in text


@pytest.mark.parametrize(("whose", "status"), [("colleague", 403), ("staff_b1", 404)])
def test_another_persons_profile_is_refused_as_in_the_api(app, api, world, whose, status):
    colleague = person(world.a1, "Коллега Ольга Петровна")
    staff = colleague if whose == "colleague" else getattr(world, whose)
    teacher = signed_in(app, "teacher.a1")
    for url in (f"/staff/{staff.id}/profile", f"/staff/{staff.id}/portfolio.xlsx"):
        refused = teacher.get(url)
        assert refused.status_code == status and refused.mimetype == "text/html", url
    assert api.as_("teacher_a1").get(f"/api/v1/staff/{staff.id}/profile").status_code == status
    with database.connection_context():
        assert not AuditEntry.select().where(AuditEntry.action == "pd_read").exists()


def test_a_methodists_read_is_logged_and_the_portfolio_lists_the_activity(app, world):
    talk(world)
    methodist = signed_in(app, "methodist.a")
    page = methodist.get(f"/staff/{world.staff_a1.id}/profile")
    assert page.status_code == 200 and "Доклад на августовском совещании" in page.text
    with database.connection_context():
        [read] = AuditEntry.select().where(AuditEntry.action == "pd_read")
    assert (read.object_id, read.user_id, read.after) == (
        world.staff_a1.id,
        world.users["methodist_a"].id,
        {"via": "profile"},
    )
    download = methodist.get(f"/staff/{world.staff_a1.id}/portfolio.xlsx")
    assert download.status_code == 200
    assert download.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(download.data))
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value}
    assert "Доклад на августовском совещании" in cells
    assert "Петрова Анна Ивановна" in cells
    with database.connection_context():
        [export] = AuditEntry.select().where(AuditEntry.action == "export")
    assert export.user_id == world.users["methodist_a"].id
    assert export.after["personal_data"] is True


# --- in a real browser -----------------------------------------------------------------


def test_the_operator_changes_a_setting_in_a_real_browser(app, api, world):
    """Chromium against a real server: «Настройки блоков» in the menu, the mentoring block,
    a changed value saved and confirmed, the API reading it back."""
    from playwright.sync_api import expect, sync_playwright

    from tests.live_server import LiveServer
    from tests.test_browser_journey import CHROMIUM, FLAGS

    switch_on(api, world, "mentoring")
    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], app.instance_path + "/live", workers=1).start()
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            try:
                page = chromium.new_context(locale="ru-RU").new_page()
                page.goto(server.url + "/signin")
                page.fill("#login", "operator")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                expect(page.locator("h1")).to_have_text("Рабочий стол")
                page.get_by_role("link", name="Настройки блоков").click()
                expect(page).to_have_url(f"{server.url}/settings/regions/{world.region.id}")
                page.locator("main").get_by_role("link", name="Наставничество").click()
                field = page.get_by_label("Наставляемых у одного наставника, не более")
                expect(field).to_have_value("3")
                field.fill("5")
                page.get_by_role("button", name="Сохранить").click()
                expect(page.locator(".notice")).to_have_text("Настройки сохранены")
                expect(field).to_have_value("5")
            finally:
                chromium.close()
    finally:
        server.close()
    assert api_settings(api, world).json == {"mentee_cap": 5}
