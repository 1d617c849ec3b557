"""Security headers on pages, API answers and errors; the sign-in `next` stays on the site;
over-long query strings and headers answer in Russian."""

import re
from pathlib import Path

import pytest

from core.models import Organization
from tests.conftest import PASSWORD
from tests.test_pages import sign_in

ROOT = Path(__file__).resolve().parents[1]


def _assert_protected(response, *, cached=False):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp  # own assets only
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Server" not in headers
    if not cached:
        assert headers["Cache-Control"] == "no-store"


def test_a_page_an_api_answer_and_errors_carry_the_headers(client, api, world):
    signin = client.get("/signin")
    _assert_protected(signin)
    assert sign_in(client, "methodist.a").status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "Рабочий стол" in home.get_data(as_text=True)
    _assert_protected(home)
    listed = api.as_("operator").get("/api/v1/organizations")
    assert listed.status_code == 200 and listed.json["items"]
    _assert_protected(listed)
    _assert_protected(api.as_("operator").get("/api/v1/organizations/999999"))  # 404 JSON
    _assert_protected(client.get("/no-such-page"))  # 404 page
    _assert_protected(client.get("/api/v1/organizations"))  # 401


def test_static_files_may_be_cached_but_not_sniffed(client):
    css = client.get("/static/web/metodnet.css")
    assert css.status_code == 200
    _assert_protected(css, cached=True)
    assert css.headers.get("Cache-Control") != "no-store"


def test_the_session_cookie_is_secure_by_default(client, world):
    cookie = sign_in(client, "methodist.a").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_template_has_inline_styles_or_scripts():
    """The CSP allows the site's own files only: an inline style or script would be blocked."""
    offending = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", text):
            offending.append(str(template.relative_to(ROOT)))
    assert offending == []


def _sign_in_with_next(client, target):
    page = client.get("/signin", query_string={"next": target})
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post(
        "/signin",
        query_string={"next": target},
        data={"login": "methodist.a", "password": PASSWORD, "nonce": nonce},
    )


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",  # the probe's /%09/evil.example: browsers drop the tab
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\n/evil.example",
        " //evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",  # percent-encoded slashes
        "/%5Cevil.example",  # percent-encoded backslash
        "/%09/evil.example",  # the tab still encoded (sent double-encoded)
        "http:/evil.example",
    ],
)
def test_next_off_the_site_leads_home(client, world, target):
    response = _sign_in_with_next(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_the_site_is_kept(client, world):
    response = _sign_in_with_next(client, "/settings?region=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings?region=1"


def test_a_long_query_string_answers_414_in_russian(api, world, client):
    long_query = "q=" + "a" * 200_000
    answer = api.as_("operator").get("/api/v1/organizations?" + long_query)
    assert answer.status_code == 414
    assert answer.json["error"]["code"] == "uri_too_long"
    assert "Слишком длинная строка запроса" in answer.json["error"]["message"]
    page = client.get("/signin?" + long_query)
    assert page.status_code == 414
    assert "Слишком длинная строка запроса" in page.get_data(as_text=True)


def test_a_long_header_answers_431_and_changes_nothing(api, world):
    before = Organization.select().count()
    answer = api.as_("operator").post(
        "/api/v1/organizations",
        json={"kind": "school", "name": "Школа Н", "code": "n1", "parent_id": world.muni_a.id},
        headers={"Idempotency-Key": "k" * 10_000},
    )
    assert answer.status_code == 431
    assert answer.json["error"]["code"] == "header_too_large"
    assert "Idempotency-Key" in answer.json["error"]["message"]
    assert Organization.select().count() == before
