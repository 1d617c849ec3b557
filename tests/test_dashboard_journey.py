"""A regional operator in Debian's Chromium, pages only: from the menu to «Показатели»,
another year, one indicator by units, drill down to a municipality; then «Выгрузки»:
download a workbook now (read back with openpyxl), queue another in the background, watch
its page refresh itself (no script) until a real `metodnet worker` has finished it, download
the file and find it in «Мои выгрузки».  A screenshot of every step is saved under the
test's tmp directory."""

import os
import signal
import subprocess
import sys

import openpyxl
import pytest
from playwright.sync_api import expect

from core.db import database
from core.models import StaffMember
from tests.conftest import PASSWORD
from tests.live_server import in_chromium


@pytest.fixture
def site(app, world, tmp_path):
    with app.app_context(), database.connection_context():
        for n in range(30):  # enough rows for the staff register to take a moment
            StaffMember.create(
                organization=world.a1 if n % 2 else world.b1,
                full_name=f"Педагог {n:02d}",
                position="учитель",
                birth_year=1960 + n,
                teaching_since=1990 + n,
            )
    with in_chromium(app, tmp_path / "live") as (server, browser):
        yield server, browser


def start_worker(server, log):
    env = {
        **os.environ,
        "METODNET_DATABASE_URL": server.database_url,
        "METODNET_INSTANCE_PATH": str(server.instance),
        "METODNET_SECRET_KEY": "live-server-test",
    }
    code = "from core.cli import main; main(['worker', '--workers', '1'])"
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=log, stderr=log, start_new_session=True
    )


def test_indicators_and_exports_in_a_real_browser(site, world, tmp_path):
    server, browser = site
    shots, step = tmp_path / "screenshots", [0]
    shots.mkdir()

    def shot(name):
        step[0] += 1
        path = shots / f"{step[0]:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

    page = browser.new_context(locale="ru-RU", accept_downloads=True).new_page()
    page.goto(server.url + "/signin")
    page.fill("#login", "operator")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Рабочий стол")
    shot("home")

    page.click("nav.menu >> text=Показатели")
    expect(page.locator("h1")).to_have_text("Показатели: Регион Р")
    page.fill("#year", "2024")
    page.click("text=Показать")
    expect(page.locator("caption").first).to_have_text("Показатели за 2024 год")
    page.click("#indicator-young_share >> a")
    expect(page.locator("#breakdown-title")).to_have_text(
        "Доля педагогов в возрасте до 35 лет: по подразделениям"
    )
    expect(page.locator("svg.chart")).to_be_visible()
    shot("indicator-by-units")
    page.click("#breakdown a:has-text('Муниципалитет А')")
    expect(page.locator("h1")).to_have_text("Показатели: Муниципалитет А")
    expect(page.locator("#breakdown tbody tr").last).to_contain_text("Школа А1")
    shot("drilled-down")

    page.click("nav.menu >> text=Выгрузки")
    expect(page.locator("h1")).to_have_text("Выгрузки: Регион Р")
    shot("exports")
    with page.expect_download() as downloaded:
        page.click("#export-organizations >> text=Скачать сейчас")
    path = tmp_path / "organizations.xlsx"
    downloaded.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert sum(1 for row in rows if "Школа Б2" in row) == 1

    page.fill("#staff-period", "2025")
    page.click("#export-staff >> text=Сформировать в фоне")
    expect(page.locator("#job-state")).to_have_text("В очереди")  # no worker yet
    expect(page.locator("#job-progress")).to_be_visible()
    shot("job-queued")
    page.reload()  # the job lives in the database, not in the page
    expect(page.locator("#job-state")).to_have_text("В очереди")
    with open(tmp_path / "worker.log", "wb") as log:
        worker = start_worker(server, log)
        try:
            # The page refreshes itself every few seconds until the worker is done.
            expect(page.locator("#job-state")).to_have_text("Готово", timeout=60_000)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
    shot("job-done")
    with page.expect_download() as downloaded:
        page.click("text=Скачать файл")
    path = tmp_path / "staff.xlsx"
    downloaded.value.save_as(path)
    sheet = openpyxl.load_workbook(path)["Работники"]
    assert sum(1 for row in sheet.iter_rows(values_only=True) if "Педагог 07" in row) == 1

    page.click("text=Мои выгрузки")
    expect(page.locator("tbody tr").first).to_contain_text("Реестр педагогических работников")
    expect(page.locator("tbody tr").first).to_contain_text("Готово")
    shot("my-exports")
