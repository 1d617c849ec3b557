"""Every role of the demo reaches the capabilities of its daily work by following links
from its home page «Рабочий стол» — no typed addresses, no API.

Each capability is a URL pattern; the test signs in as each demo login, crawls the site
breadth-first from "/" (same site, GET only, links only, ``tests/site_crawl.py``) and fails
listing every capability no crawled page matched, and every link that led to an error."""

import re

import pytest

from core import demo
from core.db import database
from tests.site_crawl import crawl

LIMIT = 250  # pages per role

CAMPAIGNS = ("кампании", r"^/campaigns$")
REVIEW = ("проверка ответов", r"^/campaigns/\d+/review")
PROGRESS = ("ход сбора", r"^/campaigns/\d+/progress")
INDICATORS = ("показатели", r"^/indicators(\?|$)")
EXPORTS = ("выгрузки", r"^/exports(\?|$)")
MY_EXPORTS = ("мои выгрузки", r"^/exports/jobs$")
PAIRS = ("реестр наставнических пар", r"^/mentoring/organizations/\d+/pairs")
ORGANISATIONS = ("организации", r"^/organizations(\?|$|/\d+(\?|$))")
USERS = ("пользователи", r"^/users(\?|$|/)")
AUDIT_LOG = ("журнал аудита", r"^/audit-log")
AUDITS = ("аудиты", r"^/audits")
STAFF = ("кадры", r"^/(organizations/\d+/)?staff(\?|$|/(?!\d+/))")

CAPABILITIES = {
    "operator": [
        INDICATORS,
        EXPORTS,
        MY_EXPORTS,
        ("настройки блоков", r"^/settings/regions/\d+/\w+"),
        ("целевые значения", r"^/indicator-targets/regions/\d+"),
        CAMPAIGNS,
        REVIEW,
        PROGRESS,
        ORGANISATIONS,
        USERS,
        AUDIT_LOG,
    ],
    "metodist.klin": [
        ("очередь проверки", r"^/review$"),
        REVIEW,
        PROGRESS,
        CAMPAIGNS,
        INDICATORS,
        EXPORTS,
        PAIRS,
        ("диагностика", r"^/diagnostics/organizations/\d+/results"),
    ],
    "school.klin1": [
        ("заполнение форм", r"^/campaigns/\d+/fill/\d+"),
        STAFF,
        AUDITS,
        PAIRS,
    ],
    "teacher": [
        ("мой маршрут", r"^/diagnostics/my/route"),
        ("мои результаты", r"^/diagnostics/my/results"),
        ("мой профиль", r"^/staff/\d+/profile"),
    ],
    "expert": [
        ("назначенные результаты", r"^/diagnostics/assigned"),
        AUDITS,
    ],
    "admin": [
        USERS,
        AUDIT_LOG,
        ("настройки", r"^/settings"),
    ],
}


def reached(app, login) -> dict[str, int]:
    client = app.test_client()
    assert sign_in_demo(client, login).status_code == 302, login

    def fetch(url):
        response = client.get(url)
        return response.status_code, response.text if response.mimetype == "text/html" else None

    return crawl(fetch, limit=LIMIT)


def sign_in_demo(client, login):
    page = client.get("/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    return client.post("/signin", data={"login": login, "password": demo.PASSWORD, "nonce": nonce})


@pytest.fixture
def demo_app(app):
    with app.app_context(), database.connection_context():
        demo.load()
    return app


def test_every_role_reaches_its_daily_work_from_the_home_page(demo_app):
    assert set(CAPABILITIES) == {login for login, *_ in demo.ACCOUNTS} - {"metodist.yartsevo"}
    missing, errors, checked = [], [], 0
    for login, capabilities in CAPABILITIES.items():
        pages = reached(demo_app, login)
        assert pages["/"] == 200, login  # no role lands on an error
        errors += [f"{login}: {url} → {status}" for url, status in pages.items() if status >= 400]
        for name, pattern in capabilities:
            checked += 1
            if not any(re.search(pattern, url) for url, s in pages.items() if s == 200):
                missing.append(f"{login}: {name} ({pattern})")
    assert not missing, "not reachable from the home page:\n" + "\n".join(missing)
    assert not errors, "links that lead to an error page:\n" + "\n".join(errors)
    assert checked == sum(len(c) for c in CAPABILITIES.values())  # every one, no skips
