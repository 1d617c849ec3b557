"""The mentoring block's pages through the test client: a pairs register accepted through
the API shows on the school's and the municipality's pages with names and positions and no
ids; the people shown are logged as personal-data reads; another municipality's methodist
and a municipality where the block is off get the HTML 404; the menu and the home widget."""

import datetime as dt
import re

import pytest

from core import organizations as tree
from core.db import database
from core.models import AuditEntry, OrganizationStatus, StaffMember
from tests.forms_fixtures import campaign_body
from tests.test_web_shell import menu, signed_in, widgets

YEAR = dt.date.today().year


@pytest.fixture
def accepted(api, world):
    """Mentoring on in municipality A; school A1's register (Петрова mentors Новиков) is
    accepted through the API; Белова, also young, has no mentor."""
    switch = f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring"
    assert api.as_("methodist_a").put(switch).status_code == 200
    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья Сергеевич",
            position="учитель физики",
            birth_year=YEAR - 24,
            teaching_since=YEAR - 1,
        )
        StaffMember.create(
            organization=world.a1,
            full_name="Белова Ирина Олеговна",
            position="учитель химии",
            birth_year=YEAR - 25,
            teaching_since=YEAR,
        )
    body = campaign_body(
        world.region.id,
        form_code="mentoring_pairs",
        title="Реестр пар",
        period_kind="school_year",
        period=f"{YEAR}/{YEAR + 1}",
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    row = {
        "mentor": world.staff_a1.id,
        "mentee": young.id,
        "form": "учитель – молодой учитель",
        "subject": "физика",
        "start": f"{YEAR}-09-01",
        "status": "действует",
    }
    assert api.as_("coord_a1").put(target, json={"data": {"pairs": [row]}}).status_code == 201
    submitted = api.as_("coord_a1").post(f"{target}/submit", json={"confirm_warnings": True})
    assert submitted.status_code == 200
    assert api.as_("methodist_a").post(f"{target}/accept").status_code == 200
    return young


def pair_rows(page) -> list[list[str]]:
    rows = re.findall(r'<tr class="pair">(.*?)</tr>', page.text, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row] for row in cells]


def test_the_school_register_names_people_and_never_ids(app, world, accepted):
    coordinator = signed_in(app, "coord.a1")
    home = coordinator.get("/")
    assert "Наставничество" in menu(home)
    link = re.search(r'<a href="([^"]+)">Наставничество</a>', home.text).group(1)
    assert link == f"/mentoring/organizations/{world.a1.id}/pairs"
    page = coordinator.get(link)
    assert page.status_code == 200
    assert pair_rows(page) == [
        [
            "Петрова Анна Ивановна учитель",
            "Новиков Илья Сергеевич учитель физики",
            "физика",
            "учитель – молодой учитель",
            f"01.09.{YEAR}",
            "действует",
        ]
    ]
    ids = {str(world.staff_a1.id), str(accepted.id), str(world.a1.id)}
    table = page.text[page.text.index("<table>") : page.text.index("</table>")]
    assert not set(re.findall(r">\s*(\d+)\s*<", table)) & ids
    with database.connection_context():
        reads = AuditEntry.select().where(
            AuditEntry.action == "pd_read", AuditEntry.login == "coord.a1"
        )
        assert sorted(e.object_id for e in reads) == sorted([world.staff_a1.id, accepted.id])
        assert {e.after["via"] for e in reads} == {"mentoring_pairs"}


def test_the_municipality_sees_its_schools_and_the_young_without_a_mentor(
    app, api, world, accepted
):
    methodist = signed_in(app, "methodist.a")
    page = methodist.get(f"/mentoring/organizations/{world.muni_a.id}/pairs")
    assert [row[:3] for row in pair_rows(page)] == [
        ["Школа А1", "Петрова Анна Ивановна учитель", "Новиков Илья Сергеевич учитель физики"]
    ]
    young = methodist.get(f"/mentoring/organizations/{world.muni_a.id}/young-without-mentor")
    assert young.status_code == 200
    assert "Белова Ирина Олеговна" in young.text and "Новиков Илья Сергеевич" not in young.text
    # Петрова (born 1998, teaching since 2022) is young while YEAR - 2022 < 3.
    expected = 1 + (1 if YEAR - 2022 < 3 and YEAR - 1998 < 35 else 0)
    assert f"Молодые педагоги без наставника: {expected}" in widgets(methodist.get("/"))
    schools_url = f"/mentoring/organizations/{world.muni_a.id}/mentor-schools"
    assert "Связей школ-наставников пока нет." in methodist.get(schools_url).text
    with database.connection_context():
        weak = tree.create(kind="school", name="Школа А3", code="a3", parent=world.muni_a)
        OrganizationStatus.create(
            organization=weak, status="low_results", start_date=dt.date(YEAR - 1, 1, 1)
        )
    link = {
        "mentor_school_id": world.a1.id,
        "supported_school_id": weak.id,
        "start": f"{YEAR}-09-01",
        "goal": "Повышение результатов ОГЭ",
    }
    made = api.as_("methodist_a").post(f"/api/v1{schools_url}", json=link)
    assert made.status_code == 201
    cells = re.findall(r"<td>(.*?)</td>", methodist.get(schools_url).text)
    assert cells == ["Школа А1", "Школа А3", f"01.09.{YEAR}", "—", "Повышение результатов ОГЭ"]


def test_other_municipalities_and_switched_off_blocks_answer_404(app, world, accepted):
    other = signed_in(app, "methodist.b")
    assert "Наставничество" not in menu(other.get("/"))
    for url in (
        f"/mentoring/organizations/{world.muni_a.id}/pairs",  # not theirs
        f"/mentoring/organizations/{world.muni_b.id}/pairs",  # the block is off in B
        f"/mentoring/organizations/{world.b1.id}/young-without-mentor",
    ):
        refused = other.get(url)
        assert refused.status_code == 404 and refused.mimetype == "text/html", url
        assert "Страница не найдена или недоступна." in refused.text
        assert "Новиков" not in refused.text
    teacher = signed_in(app, "teacher.a1")
    assert "Наставничество" not in menu(teacher.get("/"))
    refused = teacher.get(f"/mentoring/organizations/{world.a1.id}/pairs")
    assert refused.status_code == 403 and "Новиков" not in refused.text
    operator = signed_in(app, "operator")
    assert "Наставничество" in menu(operator.get("/"))


def test_a_methodist_follows_the_menu_to_the_register_in_a_real_browser(app, world, accepted):
    """Chromium against a real server: the methodist's menu leads to the municipality's
    register with the pair; a teacher's menu has no mentoring link."""
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import PASSWORD
    from tests.live_server import LiveServer
    from tests.test_browser_journey import CHROMIUM, FLAGS

    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], app.instance_path + "/live", workers=1).start()
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=FLAGS
            )
            try:

                def sign_in(login):
                    page = chromium.new_context(locale="ru-RU").new_page()
                    page.goto(server.url + "/signin")
                    page.fill("#login", login)
                    page.fill("#password", PASSWORD)
                    page.click("button[type=submit]")
                    expect(page.locator("h1")).to_have_text("Рабочий стол")
                    return page

                methodist = sign_in("methodist.a")
                methodist.get_by_role("link", name="Наставничество").click()
                expect(methodist).to_have_url(
                    f"{server.url}/mentoring/organizations/{world.muni_a.id}/pairs"
                )
                row = methodist.locator("tr.pair")
                expect(row).to_have_count(1)
                expect(row).to_contain_text("Школа А1")
                expect(row).to_contain_text("Петрова Анна Ивановна")
                expect(row).to_contain_text("Новиков Илья Сергеевич")
                teacher = sign_in("teacher.a1")
                expect(teacher.locator("nav.menu")).to_be_visible()
                expect(teacher.get_by_role("link", name="Наставничество")).to_have_count(0)
            finally:
                chromium.close()
    finally:
        server.close()
