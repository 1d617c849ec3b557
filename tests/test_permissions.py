"""Roles and permissions come from hooks: a block's own role, granted on a subtree through
the users API, holds the block's permissions there and nowhere else."""

import pytest

from core.access import Grant, Principal
from core.db import database
from core.hookspecs import hookimpl
from core.plugins import PluginError
from tests.access_fixtures import create_and_sign_in
from tests.conftest import Api
from tests.sample_plugin import SampleNote


def curated(api, who, org):
    return api.as_(who).post(
        f"/api/v1/sample/organizations/{org.id}/curated-notes", json={"text": "Заметка"}
    )


def test_a_block_role_holds_its_permissions_only_in_its_subtree(sample):
    api, world = sample
    grant = [{"role": "sample_curator", "scope_id": world.muni_a.id}]
    create_and_sign_in(api, "methodist_a", "curator", grant)
    assert curated(api, "curator", world.a1).status_code == 201
    assert curated(api, "curator", world.b1).status_code == 404  # outside the subtree
    # A role without the block's permission is refused, even the municipality's methodist.
    assert curated(api, "methodist_a", world.a1).status_code == 403
    assert curated(api, "coord_a1", world.a1).status_code == 403
    # The curator holds nothing else: no core permission comes with the block's role.
    status = {"status": "flagship", "start_date": "2025-01-01"}
    assert (
        api.as_("curator").post(f"/api/v1/organizations/{world.a1.id}/statuses", json=status)
    ).status_code == 403
    with database.connection_context():
        assert [(n.organization_id, n.author) for n in SampleNote.select()] == [
            (world.a1.id, "curator")
        ]
    me = api.as_("curator").get("/api/v1/auth/me").json
    assert me["user"]["grants"][0]["role_title"] == "Куратор тестового блока"


def test_an_unknown_role_is_refused_by_the_users_api(sample):
    api, world = sample
    body = {
        "login": "ghost",
        "password": "Strong-pass-42",
        "full_name": "Призрак",
        "grants": [{"role": "jury_member", "scope_id": world.muni_a.id}],
    }
    response = api.as_("methodist_a").post("/api/v1/users", json=body)
    assert response.status_code == 422
    assert response.json["error"]["fields"]["grants.0.role"] == ["Неизвестная роль."]


def test_a_block_role_is_granted_by_rank(sample):
    api, world = sample
    # A school coordinator may not grant roles at all (no user.write).
    grant = [{"role": "sample_curator", "scope_id": world.a1.id}]
    body = {"login": "c2", "password": "Strong-pass-42", "full_name": "К", "grants": grant}
    assert api.as_("coord_a1").post("/api/v1/users", json=body).status_code == 403


def test_permissions_and_roles_are_listed_for_integrators(sample):
    api, _ = sample
    listed = {p["code"]: p for p in api.as_("coord_a1").get("/api/v1/permissions").json}
    assert listed["sample.curate"]["roles"] == ["admin", "sample_curator"]
    assert listed["sample.curate"]["owner"] == "sample"
    assert listed["campaign.manage"]["owner"] == "forms"
    assert listed["export.run"]["owner"] == "exports"
    assert listed["settings.manage"]["roles"] == ["admin", "regional_operator"]
    assert listed["diagnostics.expert.assign"]["roles"] == [
        "admin",
        "municipal_methodist",
        "regional_operator",
    ]
    assert listed["mentoring.pairs.read"]["title"] == "Наставничество: просмотр реестра пар"
    roles = {r["code"]: r for r in api.as_("teacher_a1").get("/api/v1/roles").json}
    assert roles["sample_curator"]["rank"] == 1 and roles["admin"]["rank"] == 5
    paths = api.get("/api/openapi.json").json["paths"]
    assert "/api/v1/permissions" in paths and "/api/v1/roles" in paths
    assert api.get("/api/v1/permissions").status_code == 401


def test_an_unknown_permission_fails_loudly(app):
    with app.app_context():
        principal = Principal(None, [Grant("admin", "/")])
        assert principal.can("organization.write", "/1/")
        with pytest.raises(KeyError):
            principal.can("organisation.write", "/1/")  # misspelt


class Ghostly:
    """A block giving its permission to a role nobody declared."""

    @hookimpl
    def plugin_info(self):
        return {"name": "ghostly", "title": "Призрачный блок", "version": "1"}

    @hookimpl
    def register_permissions(self):
        return [{"code": "ghostly.haunt", "title": "Пугать", "roles": ["ghost"]}]


def test_a_permission_naming_an_unknown_role_stops_the_start_up(make_app):
    with pytest.raises(PluginError, match="ghostly.haunt.*ghost"):
        make_app(plugins=[Ghostly()], migrate=False)


def test_a_role_of_an_uninstalled_block_gives_nothing(sample, make_app):
    api, world = sample
    grant = [{"role": "sample_curator", "scope_id": world.muni_a.id}]
    create_and_sign_in(api, "methodist_a", "curator", grant)
    seen = api.as_("curator").get(f"/api/v1/organizations/{world.a1.id}")
    assert seen.status_code == 200
    # The same database served without the block: the grant stays, and opens nothing.
    url = api.client.application.config["DATABASE_URL"]
    without = Api(make_app(database_url=url).test_client(), api.tokens)
    assert without.as_("curator").get(f"/api/v1/organizations/{world.a1.id}").status_code == 404
    assert without.as_("curator").get("/api/v1/organizations").json["items"] == []
