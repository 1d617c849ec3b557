"""One journey per demo role through the pages only, in Debian's Chromium against a real server
on the plain demo: start at /signin, then follow the menu and the links — no address is ever
typed but /signin.  Each step asserts what the person sees and saves a screenshot under the
test's tmp directory (``<role>/NN-step.png``).

With ``METODNET_TOUR_DIR`` set, the steps marked for the README tour are also written there as
``<role>-<step>.jpg`` (viewport 1280×800): ``METODNET_TOUR_DIR=docs/tour pytest
tests/test_role_journeys.py`` regenerates the README's screenshots."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import demo
from core.db import database
from tests.live_server import in_chromium

VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture
def site(app, tmp_path):
    with app.app_context(), database.connection_context():
        demo.load()
    with in_chromium(app, tmp_path / "live") as (server, browser):
        yield server, browser


class Journey:
    """A signed-in page of one role and the screenshots of its steps."""

    def __init__(self, site, login, shots: Path, tour_home=False):
        server, browser = site
        self.login, self.shots, self.step = login, shots / login, 0
        self.shots.mkdir(parents=True)
        self.page = browser.new_context(locale="ru-RU", viewport=VIEWPORT).new_page()
        self.page.goto(server.url + "/signin")  # the only address typed
        self.page.fill("#login", login)
        self.page.fill("#password", demo.PASSWORD)
        self.page.click("button[type=submit]")
        expect(self.page.locator("h1")).to_have_text("Рабочий стол")
        self.shot("home", tour=tour_home)

    def shot(self, name, tour=False):
        self.step += 1
        path = self.shots / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        if tour and os.environ.get("METODNET_TOUR_DIR"):
            out = Path(os.environ["METODNET_TOUR_DIR"]) / f"{role_name(self.login)}-{name}.jpg"
            out.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(out), type="jpeg", quality=70)

    def menu(self, name):
        menu = self.page.get_by_role("navigation", name="Разделы", exact=True)
        menu.get_by_role("link", name=name, exact=True).click()

    def link(self, name, exact=True):
        self.page.locator("main").get_by_role("link", name=name, exact=exact).first.click()

    def heading(self, text):
        expect(self.page.locator("h1")).to_contain_text(text)


def test_every_role_does_its_daily_work_through_the_pages(site, tmp_path):
    # One server on one demo for all six: a journey each, in the order of the README's tour.
    for journey in (coordinator, methodist, operator, expert, teacher, administrator):
        journey(site, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name in LOGINS) == sorted(LOGINS)


LOGINS = [login for login, *_ in demo.ACCOUNTS if login != "metodist.yartsevo"]


def role_name(login):
    return {"metodist.klin": "methodist", "school.klin1": "coordinator"}.get(login, login)


def administrator(site, tmp_path):
    admin = Journey(site, "admin", tmp_path)
    page = admin.page
    admin.menu("Пользователи")
    admin.heading("Пользователи")
    admin.shot("users", tour=True)
    admin.link("Методист г. о. Клин")
    admin.heading("Методист г. о. Клин")
    expect(page.locator("main")).to_contain_text("metodist.klin")
    expect(page.locator("#grants")).to_contain_text("Муниципальный методист")
    admin.shot("user-card")
    admin.menu("Журнал аудита")
    page.fill("#login", "metodist.klin")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"login=metodist\.klin"))
    expect(page.locator("#login")).to_have_value("metodist.klin")
    expect(page.locator("main tbody tr").first).to_contain_text("metodist.klin")
    expect(page.locator("main tbody tr", has_text="(operator)")).to_have_count(0)
    admin.shot("audit-log-by-user", tour=True)
    admin.menu("Настройки блоков")
    admin.heading("Настройки блоков")
    expect(page.locator("main table")).to_contain_text("изменение")
    admin.shot("block-settings")
    admin.link("Наставничество")
    expect(page.locator("main form[method=post]")).to_have_count(1)
    admin.shot("mentoring-settings")


def expert(site, tmp_path):
    expert = Journey(site, "expert", tmp_path, tour_home=True)
    page = expert.page
    expert.menu("Аудиты")
    expert.heading("Методические аудиты")
    expert.shot("audits")
    expert.menu("Назначено мне")
    expert.heading("Назначено мне")
    row = page.locator("main table tr", has_text="Волкова Екатерина Ивановна").first
    expect(row).to_contain_text("Предметные компетенции")
    expect(row).to_contain_text("базовый")
    expert.shot("assigned-results", tour=True)


def teacher(site, tmp_path):
    teacher = Journey(site, "teacher", tmp_path)
    page = teacher.page
    teacher.menu("Мой профиль")
    teacher.heading("Профиль профессионального роста")
    expect(page.locator("main")).to_contain_text("Волкова Екатерина Ивановна")
    portfolio = page.get_by_role("link", name="Портфолио педагога")
    expect(portfolio).to_have_attribute("href", re.compile(r"/portfolio\.xlsx$"))
    with page.expect_download() as download:
        portfolio.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    teacher.shot("profile", tour=True)
    teacher.menu("Мой маршрут")
    teacher.heading("Мой маршрут")
    expect(page.locator("main form[action$='/done']").first).to_be_visible()
    teacher.shot("route", tour=True)
    teacher.menu("Мои результаты")
    teacher.heading("Мои результаты")
    expect(page.locator("main")).to_contain_text("Предметные компетенции")
    teacher.shot("results")


def coordinator(site, tmp_path):
    school = Journey(site, "school.klin1", tmp_path, tour_home=True)
    page = school.page
    due = page.locator("section", has=page.get_by_role("heading", name="Мне заполнить"))
    due.get_by_role("link", name=re.compile("Мониторинг реализации программы")).click()
    school.heading("Мониторинг реализации программы наставничества")
    page.fill("#pairs_total", "3")
    page.click("button[name=action][value=save]")
    expect(page.locator(".notice")).to_have_text("Черновик сохранён.")
    expect(page.locator("#pairs_total")).to_have_value("3")
    school.shot("draft-saved", tour=True)
    school.menu("Кадры")
    expect(page.locator("main table")).to_contain_text("Волкова Екатерина Ивановна")
    school.shot("staff")
    school.menu("Моя организация")
    school.heading("Средняя общеобразовательная школа № 1")
    school.shot("organization")
    school.menu("Наставничество")
    school.heading("Реестр наставнических пар")
    expect(page.locator("main table").first).to_contain_text("Соколова Татьяна Сергеевна")
    school.shot("mentoring-pairs")


def methodist(site, tmp_path):
    metodist = Journey(site, "metodist.klin", tmp_path)
    page = metodist.page
    metodist.menu("Проверка")
    metodist.heading("Ждут проверки")
    metodist.shot("review-queue")
    metodist.menu("Показатели")
    metodist.heading("Показатели: городской округ Клин")
    expect(page.locator("main table").first).to_be_visible()
    metodist.shot("indicators", tour=True)
    metodist.menu("Диагностика")
    metodist.heading("Диагностика профессиональных дефицитов")
    metodist.link("Низкие результаты без маршрута")
    metodist.heading("Низкие результаты без маршрута: городской округ Клин")
    metodist.shot("low-results")
    person = page.locator("main table a[href*='/diagnostics/staff/']").first
    name = person.inner_text()
    person.click()
    metodist.heading(name)
    expect(page.locator("main")).to_contain_text("Предложения поддержки")
    expect(page.get_by_role("button", name=re.compile("маршрут", re.I)).first).to_be_visible()
    metodist.shot("person-proposals", tour=True)


def operator(site, tmp_path):
    operator = Journey(site, "operator", tmp_path)
    page = operator.page
    operator.menu("Организации")
    operator.heading("Организации")
    page.locator("form.search input[name=q]").fill("Клин")
    page.locator("form.search button").click()
    expect(page.locator("main")).to_contain_text("Клин")
    operator.shot("organizations-search", tour=True)
    operator.link("городской округ Клин")
    operator.heading("городской округ Клин")
    operator.shot("organization-card")
    operator.menu("Целевые значения")
    operator.heading("Целевые значения показателей")
    expect(page.locator("main")).to_contain_text("Доля педагогов в возрасте до 35 лет")
    operator.shot("targets")
    operator.menu("Выгрузки")
    operator.heading("Выгрузки: Демонстрационный регион")
    expect(page.locator("form[action='/exports/staff']")).to_be_visible()
    operator.shot("exports", tour=True)
    operator.menu("Журнал аудита")
    operator.heading("Журнал аудита")
    page.get_by_role("link", name="обращения").first.click()
    expect(page).to_have_url(re.compile(r"staff=\d+"))
    expect(page.locator("main")).to_contain_text("Обращения к персональным данным работника")
    expect(page.locator("main tbody tr").first).to_contain_text("Просмотр персональных данных")
    operator.shot("personal-data-reads")
