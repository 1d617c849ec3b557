"""The HTML pages through the Flask test client: sign-in, fill, review, progress."""

import re

import pytest

from core.db import database
from forms.models import Submission
from tests.conftest import PASSWORD
from tests.forms_fixtures import MONITORING, campaign_body


@pytest.fixture
def campaign(api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    return api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json


def browser(app):
    return app.test_client()


def csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def sign_in(client, login):
    page = client.get("/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/signin", data={"login": login, "password": PASSWORD, "nonce": nonce})


def page_rules(app):
    """Every page of the site (the shell's, the engines', the blocks'): not the API, not a
    static file, not the sign-in page itself."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/")
        and not rule.endpoint.endswith("static")
        and rule.endpoint != "web.signin"
    ]


def test_pages_need_a_session(app, world):
    client = browser(app)
    rules = page_rules(app)
    assert {r.endpoint for r in rules} >= {"web.home", "pages.campaigns", "pages.fill"}
    for rule in rules:
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        response = client.open(url, method=method)
        assert response.status_code == 302, rule.rule
        assert "/signin" in response.headers["Location"]


def test_sign_in_sets_a_fresh_http_only_session(app, world):
    client = browser(app)
    bad = client.get("/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', bad.get_data(as_text=True)).group(1)
    wrong = client.post(
        "/signin", data={"login": "coord.a1", "password": "nope-nope-1", "nonce": nonce}
    )
    assert wrong.status_code == 401
    assert "Неверный логин или пароль." in wrong.get_data(as_text=True)
    response = sign_in(client, "coord.a1")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    first = client.get_cookie("session").value
    client.post("/signout", data={"csrf_token": csrf(client.get("/campaigns"))})
    assert client.get("/campaigns").status_code == 302
    sign_in(client, "coord.a1")
    assert client.get_cookie("session").value != first


def test_stolen_cookie_dies_with_sign_out(app, world):
    client = browser(app)
    sign_in(client, "coord.a1")
    stolen = client.get_cookie("session").value
    client.post("/signout", data={"csrf_token": csrf(client.get("/campaigns"))})
    thief = browser(app)
    thief.set_cookie("session", stolen)
    assert thief.get("/campaigns").status_code == 302


def test_fill_with_table_rows_then_submit(app, world, campaign):
    client = browser(app)
    sign_in(client, "coord.a1")
    listing = client.get("/campaigns").get_data(as_text=True)
    assert "Мониторинг наставничества, май" in listing and "не начата" in listing
    url = f"/campaigns/{campaign['id']}/fill/{world.a1.id}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<label for="act_adopted">' in text and 'lang="ru"' in text
    token = csrf(page)
    # Add a row (nothing is saved yet).
    added = client.post(url, data={"csrf_token": token, "version": "0", "add__pairs": "1"})
    assert 'name="pairs-0-mentor"' in added.get_data(as_text=True)
    with database.connection_context():
        assert Submission.select().count() == 0
    # Save a draft with a bad number: a clear error next to the field, nothing stored.
    bad = client.post(
        url, data={"csrf_token": token, "version": "0", "action": "save", "pairs_total": "пять"}
    )
    assert bad.status_code == 422
    assert "Ожидалось целое число." in bad.get_data(as_text=True)
    with database.connection_context():
        assert Submission.select().count() == 0
    form = {
        "csrf_token": token,
        "version": "0",
        "action": "save",
        "act_adopted": "да",
        "act_date": "2024-09-01",
        "pairs_total": "1",
        "pairs_teacher": "1",
        "pairs_peer": "0",
        "form_kind": "группа",
        "pairs-0-mentor": str(world.staff_a1.id),
        "pairs-0-mentee": str(world.staff_a1.id),
    }
    saved = client.post(url, data=form)
    assert saved.status_code == 200
    assert "Черновик сохранён." in saved.get_data(as_text=True)
    with database.connection_context():
        stored = Submission.get()
    assert stored.state == "draft"
    assert stored.data["pairs"] == [{"mentor": world.staff_a1.id, "mentee": world.staff_a1.id}]
    # Cross-field rules apply on submit: mentor and mentee must differ.
    refused = client.post(url, data={**form, "version": "1", "action": "submit"})
    assert refused.status_code == 422
    assert "Не должно совпадать с полем «Наставляемый»." in refused.get_data(as_text=True)
    with database.connection_context():
        assert Submission.get().state == "draft"


def test_fill_and_remove_rows_then_submit(app, world, campaign):
    from core.models import StaffMember

    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья Сергеевич",
            position="учитель",
            birth_year=2001,
            teaching_since=2024,
        )
    client = browser(app)
    sign_in(client, "coord.a1")
    url = f"/campaigns/{campaign['id']}/fill/{world.a1.id}"
    token = csrf(client.get(url))
    base = {
        "csrf_token": token,
        "version": "0",
        "act_adopted": "да",
        "act_date": "2024-09-01",
        "pairs_total": "1",
        "pairs_teacher": "1",
        "pairs_peer": "0",
        "pairs-0-mentor": str(world.staff_a1.id),
        "pairs-0-mentee": str(world.staff_a1.id),
        "pairs-1-mentor": str(world.staff_a1.id),
        "pairs-1-mentee": str(young.id),
    }
    removed = client.post(url, data={**base, "pairs-0-__remove": "1"})
    text = removed.get_data(as_text=True)
    assert 'name="pairs-1-mentor"' not in text and f'value="{young.id}" selected' in text
    del base["pairs-1-mentor"], base["pairs-1-mentee"]
    base["pairs-0-mentee"] = str(young.id)
    done = client.post(url, data={**base, "action": "submit"})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "Анкета отправлена на проверку." in done.get_data(as_text=True)
    with database.connection_context():
        stored = Submission.get()
    assert stored.state == "submitted"
    assert stored.data["pairs"] == [{"mentor": world.staff_a1.id, "mentee": young.id}]


def test_csrf_is_required(app, world, campaign):
    client = browser(app)
    sign_in(client, "coord.a1")
    url = f"/campaigns/{campaign['id']}/fill/{world.a1.id}"
    response = client.post(url, data={"action": "save", "act_number": "1"})
    assert response.status_code == 400
    with database.connection_context():
        assert Submission.select().count() == 0


def test_review_return_with_comments_then_accept(app, api, world, campaign):
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    assert api.as_("coord_a1").post(f"{target}/submit").status_code == 200
    client = browser(app)
    sign_in(client, "methodist.a")
    queue = client.get(f"/campaigns/{campaign['id']}/review?state=submitted").get_data(as_text=True)
    assert "Школа А1" in queue
    url = f"/campaigns/{campaign['id']}/review/{world.a1.id}"
    page = client.get(url)
    assert "История" in page.get_data(as_text=True)
    token = csrf(page)
    no_reason = client.post(url, data={"csrf_token": token, "action": "return"})
    assert no_reason.status_code == 422
    assert "Укажите причину возврата." in no_reason.get_data(as_text=True)
    returned = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "return",
            "reason": "Нет реестра пар",
            "comment__pairs": "Заполните реестр",
        },
    )
    assert returned.status_code == 200
    coordinator = browser(app)
    sign_in(coordinator, "coord.a1")
    fill = coordinator.get(f"/campaigns/{campaign['id']}/fill/{world.a1.id}").get_data(as_text=True)
    assert "Нет реестра пар" in fill and "Заполните реестр" in fill
    api.as_("coord_a1").post(f"{target}/submit")
    accepted = client.post(url, data={"csrf_token": token, "action": "accept"})
    assert "Анкета принята." in accepted.get_data(as_text=True)
    progress = client.get(f"/campaigns/{campaign['id']}/progress").get_data(as_text=True)
    assert "Сдали 1 из 2" in progress
    assert coordinator.get(f"/campaigns/{campaign['id']}/review/{world.a1.id}").status_code == 403


def test_out_of_scope_pages_are_404(app, world, campaign):
    client = browser(app)
    sign_in(client, "coord.b1")
    assert client.get(f"/campaigns/{campaign['id']}/fill/{world.a1.id}").status_code == 404
