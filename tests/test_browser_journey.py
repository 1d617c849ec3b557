"""A real browser (Debian's Chromium driven by Playwright, never a downloaded browser) against a
real server process: a school coordinator fills a campaign form with a table, saves a draft,
submits; a methodist returns it with a comment; the coordinator sees it, fixes, resubmits; the
methodist accepts; the coordinator can no longer edit. A screenshot of every step is saved
under the test's tmp directory."""

import pytest
from playwright.sync_api import expect, sync_playwright

from core.db import database
from core.models import StaffMember
from forms.models import Submission
from tests.conftest import PASSWORD
from tests.forms_fixtures import MONITORING, campaign_body
from tests.live_server import LiveServer

CHROMIUM = "/usr/bin/chromium"
# Headless on a closed network: no background calls home, no GPU (see the machine's notes).
FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def journey(app, api, world, tmp_path):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    with database.connection_context():
        mentee = StaffMember.create(
            organization=world.a1,
            full_name="Зайцева Вера Павловна",
            position="учитель",
            birth_year=2000,
            teaching_since=2024,
        )
    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "live", workers=2).start()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield {
                "server": server,
                "browser": browser,
                "campaign": campaign.json["id"],
                "mentee": mentee,
                "shots": shots,
            }
        finally:
            browser.close()
            server.close()


def signed_in(journey, login):
    page = journey["browser"].new_context(locale="ru-RU").new_page()
    page.goto(journey["server"].url + "/signin")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).not_to_have_url(journey["server"].url + "/signin")
    return page


def test_fill_return_fix_accept_in_a_real_browser(journey, world):
    shots, step = journey["shots"], [0]

    def shot(page, name):
        step[0] += 1
        path = shots / f"{step[0]:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

    fill_url = f"{journey['server'].url}/campaigns/{journey['campaign']}/fill/{world.a1.id}"
    review_url = f"{journey['server'].url}/campaigns/{journey['campaign']}/review/{world.a1.id}"

    coord = signed_in(journey, "coord.a1")
    # Sign-in lands on the home page; its «Мне заполнить» card leads to the form.
    expect(coord.locator("h1")).to_have_text("Рабочий стол")
    shot(coord, "coordinator-signed-in")
    coord.get_by_role("link", name="Мониторинг наставничества, май").click()
    expect(coord).to_have_url(fill_url)
    coord.select_option("#act_adopted", label="да")
    coord.fill("#act_date", "2024-09-01")
    coord.fill("#act_number", "15-о")
    coord.fill("#pairs_total", "2")  # wrong on purpose: the parts add up to 1
    coord.fill("#pairs_teacher", "1")
    coord.fill("#pairs_peer", "0")
    coord.click("button[name=add__pairs]")  # a table row
    coord.select_option("#pairs-0-mentor", label="Петрова Анна Ивановна")
    coord.select_option("#pairs-0-mentee", label="Зайцева Вера Павловна")
    coord.fill("#pairs-0-start", "2024-09-01")
    shot(coord, "coordinator-filled")
    coord.click("button[name=action][value=save]")
    expect(coord.locator(".notice")).to_have_text("Черновик сохранён.")
    expect(coord.locator("#pairs-0-mentee")).to_have_value(str(journey["mentee"].id))
    shot(coord, "draft-saved")
    coord.click("button[name=action][value=submit]")
    # The sum rule refuses it first, naming the field, in Russian.
    expect(coord.locator(".error-summary")).to_be_visible()
    coord.fill("#pairs_peer", "1")
    coord.click("button[name=action][value=submit]")
    expect(coord.locator(".notice")).to_have_text("Анкета отправлена на проверку.")
    expect(coord.locator("button[name=action]")).to_have_count(0)
    shot(coord, "submitted")

    methodist = signed_in(journey, "methodist.a")
    methodist.goto(review_url)
    expect(methodist.locator(".state")).to_have_text("На проверке")
    methodist.fill("#reason", "Укажите номер приказа полностью")
    methodist.fill("#comment__act_number", "Нет даты приказа в номере")
    methodist.click("button[value=return]")
    expect(methodist.locator(".notice")).to_have_text("Анкета возвращена на доработку.")
    shot(methodist, "returned-with-comment")

    coord.goto(fill_url)
    expect(coord.locator(".comment[role=note]")).to_contain_text("Укажите номер приказа полностью")
    expect(coord.locator("#act_number-comment")).to_contain_text("Нет даты приказа в номере")
    shot(coord, "coordinator-sees-comment")
    coord.fill("#act_number", "15-о от 01.09.24")
    coord.click("button[name=action][value=submit]")
    expect(coord.locator(".notice")).to_have_text("Анкета отправлена на проверку.")
    shot(coord, "resubmitted")

    methodist.goto(review_url)
    methodist.click("button[value=accept]")
    expect(methodist.locator(".notice")).to_have_text("Анкета принята.")
    shot(methodist, "accepted")

    coord.goto(fill_url)
    expect(coord.locator(".state")).to_have_text("Принята")
    expect(coord.locator("button[name=action]")).to_have_count(0)
    expect(coord.locator("button[name=add__pairs]")).to_have_count(0)
    expect(coord.get_by_text("изменить её сейчас нельзя")).to_be_visible()
    shot(coord, "coordinator-cannot-edit")
    with database.connection_context():
        stored = Submission.get()
    assert stored.state == "accepted"
    assert stored.data["act_number"] == "15-о от 01.09.24"
    assert stored.data["pairs"] == [
        {"mentor": world.staff_a1.id, "mentee": journey["mentee"].id, "start": "2024-09-01"}
    ]
    assert len(list(journey["shots"].glob("*.png"))) == 9
