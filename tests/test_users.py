"""Users and role grants: who may create whom, where; visibility; deactivation."""

import pytest

from core.db import database
from core.models import AuditEntry, RoleGrant, User
from tests.conftest import PASSWORD

URL = "/api/v1/users"


def new_user(login, role, scope, staff=None):
    grant = {"role": role, "scope_id": scope.id if scope else None}
    if staff is not None:
        grant["staff_id"] = staff.id
    return {
        "login": login,
        "password": "Strong-pass-42",
        "full_name": "Новый Пользователь",
        "email": "new@example.ru",
        "grants": [grant],
    }


@pytest.mark.parametrize(
    ("who", "role", "scope", "status"),
    [
        ("operator", "municipal_methodist", "muni_a", 201),
        ("operator", "regional_operator", "region", 201),
        ("operator", "admin", "region", 403),
        ("methodist_a", "school_coordinator", "a1", 201),
        ("methodist_a", "expert", "muni_a", 201),
        ("methodist_a", "regional_operator", "muni_a", 403),
        ("methodist_a", "school_coordinator", "b1", 422),
        ("coord_a1", "school_coordinator", "a1", 403),
        ("admin", "admin", None, 201),
    ],
)
def test_who_may_grant_what(api, world, who, role, scope, status):
    scope_org = getattr(world, scope) if scope else None
    response = api.as_(who).post(URL, json=new_user("new.user", role, scope_org))
    assert response.status_code == status, response.json
    with database.connection_context():
        exists = User.select().where(User.login == "new.user").exists()
    assert exists == (status == 201)


def test_created_user_can_sign_in_and_is_audited(api, world, client):
    response = api.as_("methodist_a").post(
        URL, json=new_user("New.Coord", "school_coordinator", world.a1)
    )
    assert response.status_code == 201
    assert response.json["login"] == "new.coord"
    assert "password" not in response.json
    token = client.post(
        "/api/v1/auth/token", json={"login": "new.coord", "password": "Strong-pass-42"}
    )
    assert token.status_code == 201
    with database.connection_context():
        entry = AuditEntry.get(AuditEntry.object_type == "user", AuditEntry.action == "create")
    assert "password" not in entry.after and entry.after["login"] == "new.coord"


def test_teacher_grant_needs_staff_of_that_organisation(api, world):
    missing = api.as_("methodist_a").post(URL, json=new_user("t2", "teacher", world.a1))
    assert missing.status_code == 422
    assert "grants.0.staff_id" in missing.json["error"]["fields"]
    wrong = api.as_("operator").post(URL, json=new_user("t2", "teacher", world.a1, world.staff_b1))
    assert wrong.status_code == 422
    right = api.as_("methodist_a").post(
        URL, json=new_user("t2", "teacher", world.a1, world.staff_a1)
    )
    assert right.status_code == 201


def test_duplicate_login_and_weak_password(api, world):
    duplicate = api.as_("operator").post(URL, json=new_user("METHODIST.A", "expert", world.muni_a))
    assert duplicate.status_code == 409
    assert "login" in duplicate.json["error"]["fields"]
    weak = new_user("weak", "expert", world.muni_a)
    weak["password"] = "12345678"
    response = api.as_("operator").post(URL, json=weak)
    assert response.status_code == 422
    assert "password" in response.json["error"]["fields"]
    no_grants = {**new_user("ng", "expert", world.muni_a), "grants": []}
    assert api.as_("operator").post(URL, json=no_grants).status_code == 422


def test_no_mass_assignment(api, world):
    body = {**new_user("sneaky", "expert", world.muni_a), "password_hash": "x", "id": 1}
    response = api.as_("operator").post(URL, json=body)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"password_hash", "id"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("methodist_a", {"methodist.a", "coord.a1", "expert.a", "teacher.a1"}),
        ("methodist_b", {"methodist.b", "coord.b1"}),
        (
            "operator",
            {
                "operator",
                "methodist.a",
                "methodist.b",
                "coord.a1",
                "coord.b1",
                "expert.a",
                "teacher.a1",
            },
        ),
    ],
)
def test_list_is_scoped(api, who, expected):
    response = api.as_(who).get(URL, query_string={"per_page": 100})
    assert {u["login"] for u in response.json["items"]} == expected


def test_list_filters_and_refusals(api, world):
    response = api.as_("operator").get(URL, query_string={"role": "school_coordinator"})
    assert {u["login"] for u in response.json["items"]} == {"coord.a1", "coord.b1"}
    response = api.as_("operator").get(URL, query_string={"scope": world.muni_b.id})
    assert {u["login"] for u in response.json["items"]} == {"methodist.b", "coord.b1"}
    assert api.as_("coord_a1").get(URL).status_code == 403


def test_read_one_user(api, world):
    coord = world.users["coord_a1"]
    assert api.as_("methodist_a").get(f"{URL}/{coord.id}").status_code == 200
    assert api.as_("methodist_b").get(f"{URL}/{coord.id}").status_code == 404
    assert api.as_("coord_a1").get(f"{URL}/{coord.id}").status_code == 200  # oneself


def test_methodist_cannot_touch_a_regional_operator(api, world):
    operator = world.users["operator"]
    assert (
        api.as_("methodist_a").patch(f"{URL}/{operator.id}", json={"active": False}).status_code
        == 404
    )
    # Visible through a shared subtree is still not enough: rank protects.
    response = api.as_("methodist_a").post(
        f"{URL}/{operator.id}/grants", json={"role": "expert", "scope_id": world.muni_a.id}
    )
    assert response.status_code == 404


def test_change_own_password_revokes_tokens(api, world, client):
    me = world.users["coord_a1"]
    response = api.as_("coord_a1").patch(
        f"{URL}/{me.id}", json={"password": "Another-pass-7", "current_password": PASSWORD}
    )
    assert response.status_code == 200
    assert api.as_("coord_a1").get("/api/v1/auth/me").status_code == 401
    assert (
        client.post(
            "/api/v1/auth/token", json={"login": "coord.a1", "password": "Another-pass-7"}
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/auth/token", json={"login": "coord.a1", "password": PASSWORD}
        ).status_code
        == 401
    )


def test_cannot_deactivate_oneself(api, world):
    me = world.users["coord_a1"]
    assert api.as_("coord_a1").patch(f"{URL}/{me.id}", json={"active": False}).status_code == 403


def test_grants_add_and_remove(api, world):
    coord = world.users["coord_a1"]
    added = api.as_("methodist_a").post(
        f"{URL}/{coord.id}/grants", json={"role": "expert", "scope_id": world.muni_a.id}
    )
    assert added.status_code == 201
    with database.connection_context():
        assert RoleGrant.select().where(RoleGrant.user == coord.id).count() == 2
    removed = api.as_("methodist_a").delete(f"{URL}/{coord.id}/grants/{added.json['id']}")
    assert removed.status_code == 204
    foreign = api.as_("methodist_b").delete(f"{URL}/{coord.id}/grants/{added.json['id']}")
    assert foreign.status_code == 404
    with database.connection_context():
        assert RoleGrant.select().where(RoleGrant.user == coord.id).count() == 1
        actions = {e.action for e in AuditEntry.select().where(AuditEntry.object_type == "user")}
    assert actions == {"grant", "revoke"}
