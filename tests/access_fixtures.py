"""An app with the sample block, its world, and signing in a user made through the API."""

import pytest

from core.db import database
from tests import sample_plugin
from tests.conftest import Api, World

STRONG = "Strong-pass-42"


@pytest.fixture
def sample(make_app):
    """(api, world) of an app with the sample block, switched on for the whole region."""
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    switched = api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
    assert switched.status_code == 200
    return api, world


def create_and_sign_in(api, who, login, grants) -> int:
    """``who`` creates the account through the users API; its token joins ``api.tokens``."""
    body = {"login": login, "password": STRONG, "full_name": "Новый Пользователь"}
    created = api.as_(who).post("/api/v1/users", json={**body, "grants": grants})
    assert created.status_code == 201, created.json
    token = api.client.post("/api/v1/auth/token", json={"login": login, "password": STRONG})
    api.tokens[login] = token.json["token"]
    return created.json["id"]
