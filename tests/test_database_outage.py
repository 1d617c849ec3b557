"""A database that stalls, drops connections or stays locked: requests answer 503 in Russian
(JSON for the API, a page for pages) within the timeouts instead of hanging or answering 500,
the failure is logged once per interval, and the service recovers by itself."""

import logging
import sqlite3
from urllib.parse import urlparse

import pytest

from core import db
from core.log_limit import RateLimitedLog
from tests.conftest import PG_URL
from tests.stall_proxy import StallProxy
from tests.test_pages import sign_in


@pytest.fixture
def fresh_log(monkeypatch):
    """The rate-limited log starts empty (another test may have written in this minute)."""
    monkeypatch.setattr(db, "unavailable_log", RateLimitedLog(db.log))


def _unavailable_records(caplog):
    return [r for r in caplog.records if r.name == "core.db" and "unavailable" in r.getMessage()]


def _assert_api_503(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.json["error"]["code"] == "unavailable"
    assert response.json["error"]["message"].startswith("База данных временно недоступна")
    assert response.headers["Retry-After"]


@pytest.fixture
def proxied(make_app, world):
    """An app whose PostgreSQL connections go through a StallProxy (short timeouts)."""
    target = urlparse(PG_URL)
    proxy = StallProxy(target.hostname, target.port or 5432)
    url = target._replace(netloc=f"{target.username}@127.0.0.1:{proxy.port}").geturl()
    app = make_app(
        database_url=url, migrate=False, DB_STATEMENT_TIMEOUT_MS=500, DB_CONNECT_TIMEOUT_S=1
    )
    yield app, proxy
    proxy.close()


def test_an_unavailable_database_answers_503_and_recovers(
    request, app, make_app, world, caplog, fresh_log
):
    caplog.set_level(logging.ERROR, logger="core.db")
    if PG_URL:
        _stalled_and_dropped_postgres(request.getfixturevalue("proxied"), world, caplog)
    else:
        _locked_sqlite(app.config["DATABASE_URL"], make_app, world, caplog)


def _as(who, world):
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def _stalled_and_dropped_postgres(proxied, world, caplog):
    app, proxy = proxied
    client = app.test_client()
    assert sign_in(client, "methodist.a").status_code == 302
    listed = client.get("/api/v1/organizations", headers=_as("operator", world))
    assert listed.status_code == 200

    proxy.stall()  # the pooled connection's next query is never answered
    _assert_api_503(client.get("/api/v1/organizations", headers=_as("operator", world)))
    page = client.get("/")  # a signed-in page: its session is read from the database
    assert page.status_code == 503 and "недоступн" in page.get_data(as_text=True)
    health = client.get("/api/v1/health")  # a new connection: accepted, never answered
    assert health.status_code == 503 and health.json["database"] == "unavailable"

    proxy.drop()  # every connection closed, new ones refused: 503, not 500
    for _ in range(5):
        _assert_api_503(client.get("/api/v1/organizations", headers=_as("operator", world)))
    assert len(_unavailable_records(caplog)) == 1  # once per interval, not per request

    proxy.forward()  # back: the broken connections were discarded, no restart needed
    again = client.get("/api/v1/organizations", headers=_as("operator", world))
    assert again.status_code == 200
    assert "Школа А1" in {item["name"] for item in again.json["items"]}
    assert client.get("/api/v1/health").json["database"] == "ok"


def _locked_sqlite(url, make_app, world, caplog):
    app = make_app(database_url=url, migrate=False, SQLITE_BUSY_TIMEOUT_MS=200)
    client = app.test_client()
    body = {"full_name": "Новикова Ольга", "position": "учитель", "birth_year": 1985}
    add = f"/api/v1/organizations/{world.a1.id}/staff"
    locker = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        for _ in range(3):
            _assert_api_503(client.post(add, json=body, headers=_as("coord_a1", world)))
        assert len(_unavailable_records(caplog)) == 1
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    staff = client.get(f"/api/v1/organizations/{world.a1.id}/staff", headers=_as("coord_a1", world))
    assert "Новикова Ольга" not in {item["full_name"] for item in staff.json["items"]}
    added = client.post(add, json=body, headers=_as("coord_a1", world))
    assert added.status_code == 201 and added.json["full_name"] == "Новикова Ольга"
