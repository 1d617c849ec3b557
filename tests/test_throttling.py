"""Sign-in throttling per client as well as per login, on the API and the sign-in page.

Spraying many logins from one client is slowed; an outsider's guesses lock a login for
guessers, never for a client that signed in as that login before or sits on an allowed
network; behind a trusted proxy the client is the address the proxy reports, and without
that setting nobody can choose their address by a header.
"""

import pytest
from itsdangerous import URLSafeTimedSerializer

from core.db import database
from core.models import ApiToken, AuditEntry, ClientThrottle, LoginThrottle
from core.security.clients import DEVICE_COOKIE
from tests.conftest import PASSWORD
from tests.test_sessions import sign_in as page_sign_in

WRONG = "wrong-password-9"
OUTSIDER, OFFICE, HOME = "203.0.113.66", "192.0.2.10", "198.51.100.20"


def token(client, login, password=PASSWORD, address=OUTSIDER, **headers):
    return client.post(
        "/api/v1/auth/token",
        json={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def counts():
    with database.connection_context():
        actions = [e.action for e in AuditEntry.select()]
        return {
            "tokens": ApiToken.select().count(),
            "success": actions.count("login_success"),
            "failure": actions.count("login_failure"),
            "locked": actions.count("login_locked"),
        }


def test_spraying_many_logins_from_one_client_is_slowed(app, world):
    client = app.test_client()
    before = counts()
    answers = [token(client, f"user{n}", WRONG).status_code for _ in range(4) for n in range(40)]
    assert answers == [401] * 30 + [429] * 130
    refused = token(client, "methodist.a")  # the right password does not pass either
    assert refused.status_code == 429
    assert refused.json["error"] == {
        "code": "client_locked",
        "message": "Слишком много неудачных попыток входа с этого адреса. Повторите через 15 мин.",
        "fields": {},
    }
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60 + 1
    after = counts()
    assert after["tokens"] == before["tokens"] and after["success"] == before["success"]
    assert after["failure"] - before["failure"] == 30
    assert after["locked"] - before["locked"] == 131
    with database.connection_context():
        assert not LoginThrottle.select().where(LoginThrottle.locked_until.is_null(False)).exists()
        assert ClientThrottle.get().client == OUTSIDER
    # Another client is not affected.
    assert token(app.test_client(), "methodist.a", address=HOME).status_code == 201


def test_an_outsider_cannot_lock_the_administrator_out(app, world):
    admin_device, outsider, stranger = app.test_client(), app.test_client(), app.test_client()
    assert token(admin_device, "admin", address=OFFICE).status_code == 201
    for _ in range(5):
        assert token(outsider, "admin", WRONG).status_code == 401
    before = counts()
    # The lock holds for guessers, even with the right password, and for unknown devices.
    locked = token(outsider, "admin")
    assert locked.status_code == 429 and locked.json["error"]["code"] == "login_locked"
    assert "Retry-After" in locked.headers
    assert token(stranger, "admin", address=HOME).status_code == 429
    assert counts()["tokens"] == before["tokens"]
    # The administrator's own device signs in; a wrong password from it is still refused.
    assert token(admin_device, "admin", WRONG, address=OFFICE).status_code == 401
    assert token(admin_device, "admin", address=OFFICE).status_code == 201
    # The same device is not trusted for another login it never signed in as.
    for _ in range(5):
        token(outsider, "methodist.a", WRONG)
    assert token(admin_device, "methodist.a", address=OFFICE).status_code == 429


def test_a_forged_device_cookie_gives_no_trust(app, world):
    for _ in range(5):
        token(app.test_client(), "admin", WRONG)
    forger = app.test_client()
    forged = URLSafeTimedSerializer("not-the-key", salt="metodnet.trusted-device")
    with database.connection_context():
        admin_id = world.users["admin"].id
    forger.set_cookie(DEVICE_COOKIE, forged.dumps([f"{admin_id}:0000000000000000"]))
    assert token(forger, "admin", address=HOME).status_code == 429


def test_a_password_change_ends_the_trust_of_old_devices(app, api, world):
    device = app.test_client()
    assert token(device, "coord.a1", address=OFFICE).status_code == 201
    me = world.users["coord_a1"]
    changed = api.as_("operator").patch(
        f"/api/v1/users/{me.id}", json={"password": "Another-pass-7"}
    )
    assert changed.status_code == 200
    for _ in range(5):
        token(app.test_client(), "coord.a1", WRONG)
    assert token(device, "coord.a1", "Another-pass-7", address=OFFICE).status_code == 429


def test_an_allowed_network_is_not_locked_by_outsiders(make_app, monkeypatch):
    monkeypatch.setenv("METODNET_LOGIN_ALLOW_NETWORKS", "192.0.2.0/24, 2001:db8:1::/48")
    app = make_app()
    from tests.conftest import World

    with app.app_context(), database.connection_context():
        World()
    for _ in range(5):
        token(app.test_client(), "admin", WRONG)
    assert token(app.test_client(), "admin", address=HOME).status_code == 429
    assert token(app.test_client(), "admin", address="192.0.2.77").status_code == 201
    assert token(app.test_client(), "admin", address="2001:db8:1::5").status_code == 201


@pytest.fixture
def strict(app):
    app.config["CLIENT_MAX_FAILURES"] = 3
    return app


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(strict, world):
    strict.config["TRUSTED_PROXIES"] = "10.0.0.1"
    client = strict.test_client()

    def via_proxy(forwarded, password=WRONG):
        return token(client, "x", password, "10.0.0.1", **{"X-Forwarded-For": forwarded})

    # The proxy appends the real client; what the client wrote before it is not believed.
    assert [via_proxy(f"1.1.1.{n}, {OUTSIDER}").status_code for n in range(4)] == [401] * 3 + [429]
    assert via_proxy(HOME).status_code == 401
    with database.connection_context():
        assert {r.client for r in ClientThrottle.select()} == {OUTSIDER, HOME}


def test_without_trusted_proxies_the_forwarded_header_is_ignored(strict, world):
    client = strict.test_client()
    answers = [
        token(client, "x", WRONG, OUTSIDER, **{"X-Forwarded-For": f"1.1.1.{n}"}).status_code
        for n in range(4)
    ]
    assert answers == [401, 401, 401, 429]
    with database.connection_context():
        assert [r.client for r in ClientThrottle.select()] == [OUTSIDER]


def test_an_ipv6_client_is_counted_by_its_64(strict, world):
    client = strict.test_client()
    answers = [token(client, "x", WRONG, f"2001:db8:5:6::{n}").status_code for n in range(1, 5)]
    assert answers == [401, 401, 401, 429]
    with database.connection_context():
        assert [r.client for r in ClientThrottle.select()] == ["2001:db8:5:6::/64"]


def test_the_sign_in_page_is_throttled_per_client_too(strict, world):
    client = strict.test_client()
    for login in ("a.one", "a.two", "a.three"):
        assert page_sign_in(client, login, WRONG).status_code == 401
    locked = page_sign_in(client, "methodist.a")
    assert locked.status_code == 429 and "Retry-After" in locked.headers
    assert "Слишком много неудачных попыток входа с этого адреса" in locked.get_data(as_text=True)
    assert client.get("/campaigns").status_code == 302  # not signed in


def test_the_sign_in_page_trusts_a_device_that_signed_in_before(app, world):
    device = app.test_client()
    assert page_sign_in(device, "methodist.a").status_code == 302
    for _ in range(5):
        token(app.test_client(), "methodist.a", WRONG)
    assert page_sign_in(app.test_client(), "methodist.a").status_code == 429
    assert page_sign_in(device, "methodist.a").status_code == 302
    assert device.get("/campaigns").status_code == 200
