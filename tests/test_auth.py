"""Bearer tokens, sign-in throttling and revocation through the API."""

import datetime as dt

from core.db import database
from core.models import ApiToken, AuditEntry, LoginThrottle
from tests.conftest import PASSWORD


def sign_in(client, login, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"login": login, "password": password})


def test_token_is_issued_and_works(api, client):
    response = sign_in(client, "methodist.a")
    assert response.status_code == 201
    token = response.json["token"]
    assert response.json["token_type"] == "Bearer"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["user"]["login"] == "methodist.a"
    assert me.json["user"]["grants"][0]["role"] == "municipal_methodist"
    assert "password" not in me.json["user"]
    # Only the hash is stored.
    with database.connection_context():
        assert not ApiToken.select().where(ApiToken.token_hash == token).exists()


def test_login_is_case_insensitive(api, client):
    assert sign_in(client, "  Methodist.A ").status_code == 201


def test_wrong_password_and_unknown_login_answer_the_same(api, client):
    wrong = sign_in(client, "methodist.a", "not-the-password1")
    unknown = sign_in(client, "nobody.here", "not-the-password1")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    assert wrong.json["error"]["message"] == "Неверный логин или пароль."


def test_repeated_failures_lock_even_the_right_password(api, client):
    for attempt in range(5):
        login = "methodist.a" if attempt % 2 else "METHODIST.A"  # case variants share a counter
        assert sign_in(client, login, "wrong-password-9").status_code == 401
    locked = sign_in(client, "methodist.a")
    assert locked.status_code == 429
    assert locked.json["error"]["code"] == "login_locked"
    assert "Retry-After" in locked.headers
    # Unknown logins lock the same way: the lock does not reveal accounts.
    for _ in range(5):
        sign_in(client, "ghost", "wrong-password-9")
    assert sign_in(client, "ghost", "wrong-password-9").status_code == 429


def test_lock_expires(api, client):
    for _ in range(5):
        sign_in(client, "methodist.a", "wrong-password-9")
    with database.connection_context():
        LoginThrottle.update(locked_until=dt.datetime(2000, 1, 1)).execute()
    assert sign_in(client, "methodist.a").status_code == 201


def test_sign_ins_are_audited(api, client):
    sign_in(client, "methodist.a")
    sign_in(client, "methodist.a", "wrong-password-9")
    with database.connection_context():
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["login_success", "login_failure"]


def test_revoked_token_is_refused(api, client):
    token = sign_in(client, "methodist.a").json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    response = client.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_expired_token_is_refused(api, client, world):
    with database.connection_context():
        ApiToken.update(expires_at=dt.datetime(2000, 1, 1)).execute()
    assert api.as_("operator").get("/api/v1/auth/me").status_code == 401


def test_garbage_token_is_refused(client, world):
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_deactivated_user_cannot_sign_in_or_use_tokens(api, client, world):
    response = api.as_("operator").patch(
        f"/api/v1/users/{world.users['methodist_a'].id}", json={"active": False}
    )
    assert response.status_code == 200
    assert api.as_("methodist_a").get("/api/v1/auth/me").status_code == 401
    assert sign_in(client, "methodist.a").status_code == 401


def test_token_request_validation(client, world):
    response = client.post("/api/v1/auth/token", json={"login": "x"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"password": ["Обязательное поле."]}
