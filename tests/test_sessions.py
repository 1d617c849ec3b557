"""Page sessions beyond test_pages: CSRF on every state-changing page (found from the URL map,
so a new page is covered automatically), expiry ends a session, and throttling of the
sign-in page locks even the right password without saying which part was wrong."""

import re

from core.db import database
from core.models import ApiToken, AuditEntry, utcnow
from forms.models import Submission
from tests.conftest import PASSWORD
from tests.forms_fixtures import MONITORING, campaign_body


def nonce_of(page):
    return re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def sign_in(client, login, password=PASSWORD):
    nonce = nonce_of(client.get("/signin"))
    return client.post("/signin", data={"login": login, "password": password, "nonce": nonce})


def state():
    with database.connection_context():
        return (
            Submission.select().count(),
            AuditEntry.select().where(AuditEntry.action != "login_success").count(),
            ApiToken.select().where(ApiToken.revoked_at.is_null()).count(),
        )


def test_every_state_changing_page_refuses_a_post_without_csrf(app, api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    api.as_("coord_a1").put(
        f"/api/v1/campaigns/{campaign.json['id']}/submissions/{world.a1.id}",
        json={"data": {"pairs_total": 1}},
    )
    values = {"campaign_id": campaign.json["id"], "subject_id": world.a1.id}
    posting = [
        r
        for r in app.url_map.iter_rules()
        if getattr(app.view_functions[r.endpoint], "_metodnet_page", False) and "POST" in r.methods
    ]
    assert {r.endpoint for r in posting} >= {"pages.fill", "pages.review_one", "web.signout"}
    client = app.test_client()
    assert sign_in(client, "methodist.a").status_code == 302
    methodist_before = state()
    for rule in posting:
        # Any id will do: the CSRF check comes before anything looks the object up.
        args = {name: values.get(name, 1) for name in rule.arguments}
        if "plugin" in args:
            args["plugin"] = "mentoring"
        url = rule.build(args, append_unknown=False)[1]
        for data in ({"action": "accept"}, {"action": "accept", "csrf_token": "forged"}):
            response = client.post(url, data=data)
            assert response.status_code == 400, (rule.rule, data)
    assert state() == methodist_before  # nothing accepted, nobody signed out
    assert client.get("/campaigns").status_code == 200  # still signed in
    # Sign-in itself carries a one-time nonce: without it, no session.
    fresh = app.test_client()
    fresh.get("/signin")
    refused = fresh.post("/signin", data={"login": "coord.a1", "password": PASSWORD})
    assert refused.status_code == 401 and fresh.get("/campaigns").status_code == 302


def test_an_expired_session_is_over(app, world):
    client = app.test_client()
    assert sign_in(client, "coord.a1").status_code == 302
    assert client.get("/campaigns").status_code == 200
    with database.connection_context():
        ApiToken.update(expires_at=utcnow()).where(ApiToken.revoked_at.is_null()).execute()
    page = client.get("/campaigns")
    assert page.status_code == 302 and "/signin" in page.headers["Location"]


def test_sign_in_page_locks_even_the_right_password(app, world):
    client = app.test_client()
    for login in ("coord.a1", "COORD.A1", "Coord.A1", "coord.a1", " coord.A1 "):
        wrong = sign_in(client, login, "wrong-password-9")
        assert wrong.status_code == 401
        assert "Неверный логин или пароль." in wrong.get_data(as_text=True)
    locked = sign_in(client, "coord.a1")
    assert locked.status_code == 429 and client.get("/campaigns").status_code == 302
    assert int(locked.headers["Retry-After"]) > 60
    text = locked.get_data(as_text=True)
    assert "Слишком много неудачных попыток входа" in text
    # An unknown login answers exactly like a known one with a wrong password.
    other = app.test_client()
    unknown = sign_in(other, "nobody.here", "wrong-password-9").get_data(as_text=True)
    known = sign_in(other, "methodist.a", "wrong-password-9").get_data(as_text=True)
    strip = re.compile(r'name="nonce" value="[^"]+"')
    assert strip.sub("", unknown) == strip.sub("", known)
