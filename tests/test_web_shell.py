"""The site shell through the test client: sign-in, the menu each role sees, the home page's
widgets with real figures, CSRF, Russian HTML error pages for page URLs (JSON for the API),
and a block's own page (the sample block) rendered in the shell."""

import re

import pytest
from flask import abort
from markupsafe import Markup

from core import demo
from core.db import database
from core.hookspecs import hookimpl
from tests import sample_plugin
from tests.conftest import World
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_pages import csrf, sign_in


def menu(page) -> list[str]:
    nav = re.search(r'<nav class="menu" aria-label="Разделы">(.*?)</nav>', page.text, re.S)
    return re.findall(r">([^<]+)</a>", nav.group(1))


def widgets(page) -> dict[str, str]:
    """Widget title → its text, tags stripped."""
    cards = re.findall(r'<h2 id="widget-\d+">(.*?)</h2>(.*?)</section>', page.text, re.S)
    return {title: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for title, body in cards}


@pytest.fixture
def campaign(api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    return api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json


def signed_in(app, login):
    client = app.test_client()
    assert sign_in(client, login).status_code == 302
    return client


def test_every_demo_login_gets_its_home_page(app):
    with app.app_context(), database.connection_context():
        demo.load()
    for login, *_ in demo.ACCOUNTS:
        client = app.test_client()
        page = client.get("/signin")
        nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
        signed = client.post(
            "/signin", data={"login": login, "password": demo.PASSWORD, "nonce": nonce}
        )
        assert signed.status_code == 302 and signed.headers["Location"] == "/", login
        home = client.get("/")
        assert home.status_code == 200, login
        assert "Рабочий стол" in home.text
        assert client.get("/campaigns").status_code == 200, login


def test_menu_shows_each_role_only_its_links(app, world, campaign):
    tree, users, password = "Организации", "Пользователи", "Сменить пароль"
    own, log, settings = "Моя организация", "Журнал аудита", "Настройки блоков"
    figures = ["Показатели", "Выгрузки"]
    work = ["Рабочий стол", "Кампании", "Кадры", "Проверка", "Формы", "Аудиты", tree, users]
    work = [*work, *figures]
    region = [*work, "Целевые значения", settings, log]
    expected = {
        "admin": region,
        "operator": region,
        "methodist.a": work,
        "coord.a1": ["Рабочий стол", "Кампании", "Кадры", "Аудиты", own, *figures],
        "expert.a": ["Рабочий стол", "Аудиты", own, "Показатели"],
        "teacher.a1": ["Рабочий стол", "Кампании", "Мой профиль", own],
    }
    expected = {login: [*links, password] for login, links in expected.items()}
    for login, links in expected.items():
        home = signed_in(app, login).get("/")
        assert home.status_code == 200
        assert menu(home) == links, login
        assert f'<span class="person">{login.replace(".", "_")}</span>' in home.text
    # A page the menu does not offer is refused as a Russian page, not JSON.
    refused = signed_in(app, "coord.a1").get("/review")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert "Недостаточно прав для этой страницы." in refused.text


def test_home_widgets_count_what_waits(app, api, world, campaign):
    coordinator, methodist = signed_in(app, "coord.a1"), signed_in(app, "methodist.a")
    due = widgets(coordinator.get("/"))["Мне заполнить"]
    assert due.startswith("1 ") and "Мониторинг наставничества, май" in due
    assert "не начата" in due
    assert widgets(methodist.get("/"))["Ждут проверки"] == "0 Нет анкет на проверке."
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    assert api.as_("coord_a1").post(f"{target}/submit").status_code == 200
    assert widgets(coordinator.get("/"))["Мне заполнить"] == "0 Всё сдано."
    waiting = widgets(methodist.get("/"))["Ждут проверки"]
    assert waiting == "1 Мониторинг наставничества, май : 1"
    assert widgets(signed_in(app, "methodist.b").get("/"))["Ждут проверки"].startswith("0 ")
    overview = methodist.get("/review")
    assert overview.status_code == 200 and "Мониторинг наставничества, май" in overview.text
    returned = api.as_("methodist_a").post(f"{target}/return", json={"reason": "Нет пар"})
    assert returned.status_code == 200
    assert "возвращена на доработку" in widgets(coordinator.get("/"))["Мне заполнить"]


def test_a_post_without_the_csrf_token_is_refused_in_russian(app, world):
    client = signed_in(app, "coord.a1")
    refused = client.post("/signout")
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "Некорректный запрос" in refused.text and 'lang="ru"' in refused.text
    assert client.get("/").status_code == 200  # still signed in
    assert client.post("/signout", data={"csrf_token": csrf(client.get("/"))}).status_code == 302
    assert client.get("/").status_code == 302


class Crashing:
    """An inline block whose page fails: the person sees the Russian 500 page."""

    from flask import Blueprint

    from core import activation

    pages = Blueprint("crashing_pages", __name__, url_prefix="/crashing")

    @staticmethod
    @pages.route("/boom")
    @activation.unguarded("a test page that crashes on purpose")
    def boom():
        raise RuntimeError("boom")

    @staticmethod
    @pages.route("/gone")
    @activation.unguarded("a test page that answers 410 on purpose")
    def gone():
        abort(410)

    @staticmethod
    @hookimpl
    def plugin_info():
        return {"name": "crashing", "title": "Падающий блок", "version": "1"}

    @staticmethod
    @hookimpl
    def register_pages():
        return [Crashing.pages]

    @staticmethod
    @hookimpl
    def home_widgets(principal):
        return [{"title": "Сводка", "html": Markup("<p>Всё хорошо</p>"), "order": 1}]


def test_errors_are_russian_pages_for_pages_and_json_for_the_api(make_app):
    app = make_app(plugins=[Crashing])
    with app.app_context(), database.connection_context():
        world = World()
    client = app.test_client()
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "Страница не найдена или недоступна." in missing.text and "Ошибка 404" in missing.text
    crash = client.get("/crashing/boom")
    assert crash.status_code == 500 and crash.mimetype == "text/html"
    assert "Внутренняя ошибка сервера. Данные не изменены." in crash.text
    assert client.get("/crashing/gone").mimetype == "text/html"
    api_missing = client.get("/api/v1/no-such-thing")
    assert api_missing.status_code == 404
    assert api_missing.json["error"]["code"] == "not_found"
    token = {"Authorization": f"Bearer {world.tokens['coord_a1']}"}
    api_campaign = client.get("/api/v1/campaigns/999", headers=token)
    assert api_campaign.status_code == 404 and api_campaign.json["error"]["code"] == "not_found"
    browser = signed_in(app, "coord.a1")
    unknown = browser.get("/campaigns/999/progress")
    assert unknown.status_code == 404 and unknown.mimetype == "text/html"
    assert "coord_a1" in unknown.text  # the signed-in person stays in the layout
    home = browser.get("/")
    assert list(widgets(home)) == ["Сводка", "Мне заполнить"]  # in their declared order


def test_a_blocks_page_in_the_shell_with_its_menu_link_and_widget(make_app):
    sample_plugin.CALLS.clear()
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api_as = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['methodist_a']}"}
    notes = f"/sample/organizations/{world.muni_a.id}/notes"
    methodist = signed_in(app, "methodist.a")
    off = methodist.get(notes)
    assert off.status_code == 404 and off.mimetype == "text/html"  # the block is off here
    switch = f"/api/v1/organizations/{world.muni_a.id}/plugins/sample"
    assert api_as.put(switch, headers=headers).status_code == 200
    home = methodist.get("/")
    assert "Заметки" in menu(home)
    assert widgets(home)["Заметки тестового блока"] == "Заметок: 0"
    page = methodist.get(notes)
    assert page.status_code == 200 and "Заметки: Муниципалитет А" in page.text
    css = re.search(r'href="(/sample/static/sample.css)"', page.text).group(1)
    assert methodist.get(css).status_code == 200
    token = csrf(page)
    empty = methodist.post(notes, data={"csrf_token": token, "text": ""})
    assert empty.status_code == 422 and "Напишите заметку." in empty.text
    forged = methodist.post(notes, data={"csrf_token": "forged", "text": "Семинар"})
    assert forged.status_code == 400
    added = methodist.post(notes, data={"csrf_token": token, "text": "Семинар в мае"})
    assert added.status_code == 302
    assert "Семинар в мае (methodist.a)" in methodist.get(notes).text
    assert widgets(methodist.get("/"))["Заметки тестового блока"] == "Заметок: 1"
    assert methodist.get(f"/sample/organizations/{world.muni_b.id}/notes").status_code == 404
    assert {"register_pages", "menu_links", "home_widgets"} <= set(sample_plugin.CALLS)
