"""Account rules: each refused request changes nothing (row, grants, audit, tokens)."""

import threading

import pytest

from core.db import database
from core.models import ApiToken, AuditEntry, LoginThrottle, Organization, RoleGrant, User
from tests.conftest import PASSWORD, Api

URL = "/api/v1/users"
NEW = "Another-pass-7"


def account(user_id):
    """Everything a refused request must leave as it was."""
    with database.connection_context():
        user = User.get_by_id(user_id)
        grants = sorted(
            (g.role, g.scope_id) for g in RoleGrant.select().where(RoleGrant.user == user_id)
        )
        live = ApiToken.select().where(ApiToken.user == user_id, ApiToken.revoked_at.is_null())
        return {
            "user": (user.password_hash, user.active, user.full_name),
            "grants": grants,
            "tokens": live.count(),
            "audit": AuditEntry.select().where(AuditEntry.object_type == "user").count(),
        }


def test_own_password_needs_the_current_one(api, world):
    me = world.users["coord_a1"].id
    before = account(me)
    missing = api.as_("coord_a1").patch(f"{URL}/{me}", json={"password": NEW})
    assert missing.status_code == 422
    assert missing.json["error"]["fields"] == {"current_password": ["Укажите текущий пароль."]}
    wrong = api.as_("coord_a1").patch(
        f"{URL}/{me}", json={"password": NEW, "current_password": "not-it-42"}
    )
    assert wrong.status_code == 422
    assert wrong.json["error"]["fields"] == {"current_password": ["Текущий пароль указан неверно."]}
    assert account(me) == before
    with database.connection_context():
        assert LoginThrottle.get(LoginThrottle.login == "coord.a1").failures == 1
    right = api.as_("coord_a1").patch(
        f"{URL}/{me}", json={"password": NEW, "current_password": PASSWORD}
    )
    assert right.status_code == 200
    assert account(me)["user"][0] != before["user"][0]


def test_guessing_the_current_password_is_throttled(api, world):
    me = world.users["coord_a1"].id
    for _ in range(5):
        api.as_("coord_a1").patch(f"{URL}/{me}", json={"password": NEW, "current_password": "x1"})
    before = account(me)
    locked = api.as_("coord_a1").patch(
        f"{URL}/{me}", json={"password": NEW, "current_password": PASSWORD}
    )
    assert locked.status_code == 422
    assert locked.json["error"]["fields"] == {
        "current_password": ["Слишком много неудачных попыток, подождите."]
    }
    assert account(me) == before


def test_an_administrator_sets_another_password_without_the_old_one(api, world):
    target = world.users["coord_a1"].id
    assert api.as_("admin").patch(f"{URL}/{target}", json={"password": NEW}).status_code == 200


@pytest.mark.parametrize("who", ["admin", "operator", "methodist_a", "coord_a1"])
def test_nobody_deactivates_their_own_account(api, world, who):
    me = world.users[who].id
    before = account(me)
    response = api.as_(who).patch(f"{URL}/{me}", json={"active": False})
    assert response.status_code == 403
    assert response.json["error"]["message"] == "Нельзя изменить активность своей учётной записи."
    assert account(me) == before


@pytest.mark.parametrize(
    ("who", "role", "place"),
    [
        ("methodist_a", "expert", "muni_a"),
        ("methodist_a", "school_coordinator", "a1"),
        ("operator", "municipal_methodist", "muni_a"),
        ("admin", "expert", "muni_a"),
    ],
)
def test_nobody_grants_a_role_to_themselves(api, world, who, role, place):
    me = world.users[who].id
    before = account(me)
    response = api.as_(who).post(
        f"{URL}/{me}/grants", json={"role": role, "scope_id": getattr(world, place).id}
    )
    assert response.status_code == 403
    assert response.json["error"]["message"] == "Нельзя выдать роль самому себе."
    assert account(me) == before


@pytest.fixture
def coord_in_two_places(world):
    coord = world.users["coord_a1"]
    with database.connection_context():
        RoleGrant.create(user=coord, role="school_coordinator", scope=world.b1)
    return coord.id


def roles_shown(answer):
    return sorted((g["role"], g["scope_id"]) for g in answer["grants"])


def test_grants_outside_the_callers_scope_are_not_shown(api, world, coord_in_two_places):
    url = f"{URL}/{coord_in_two_places}"
    a1, b1 = ("school_coordinator", world.a1.id), ("school_coordinator", world.b1.id)
    assert roles_shown(api.as_("methodist_a").get(url).json) == [a1]
    assert roles_shown(api.as_("methodist_b").get(url).json) == [b1]
    assert roles_shown(api.as_("operator").get(url).json) == sorted([a1, b1])
    assert roles_shown(api.as_("coord_a1").get(url).json) == sorted([a1, b1])  # oneself
    listed = api.as_("methodist_a").get(URL, query_string={"q": "coord_a1"}).json["items"]
    assert [roles_shown(u) for u in listed] == [[a1]]


def test_managing_an_account_needs_every_role_it_holds(api, world, coord_in_two_places):
    """A methodist of one municipality does not change an account that also works in
    another: its password, activity and grants stay as they were."""
    before = account(coord_in_two_places)
    url = f"{URL}/{coord_in_two_places}"
    assert api.as_("methodist_a").patch(url, json={"password": NEW}).status_code == 403
    assert api.as_("methodist_a").patch(url, json={"active": False}).status_code == 403
    added = api.as_("methodist_a").post(
        f"{url}/grants", json={"role": "expert", "scope_id": world.muni_a.id}
    )
    assert added.status_code == 403
    assert account(coord_in_two_places) == before


@pytest.fixture
def admin_with_a_local_grant(world):
    admin = world.users["admin"]
    with database.connection_context():
        local = RoleGrant.create(user=admin, role="expert", scope=world.muni_a)
    return admin.id, local.id


@pytest.mark.parametrize("who", ["methodist_a", "operator"])
def test_no_one_below_an_administrator_changes_an_administrator(
    api, world, admin_with_a_local_grant, who
):
    admin_id, local_grant = admin_with_a_local_grant
    url = f"{URL}/{admin_id}"
    before = account(admin_id)
    seen = api.as_(who).get(url)
    assert seen.status_code == 200
    assert [g["role"] for g in seen.json["grants"]] == ["expert"]  # the admin grant is not shown
    assert api.as_(who).patch(url, json={"password": NEW}).status_code == 403
    assert api.as_(who).patch(url, json={"full_name": "Взлом"}).status_code == 403
    assert api.as_(who).patch(url, json={"active": False}).status_code == 403
    grant = {"role": "school_coordinator", "scope_id": world.a1.id}
    assert api.as_(who).post(f"{url}/grants", json=grant).status_code == 403
    assert api.as_(who).delete(f"{url}/grants/{local_grant}").status_code == 403
    assert account(admin_id) == before


def race(app, world, url, body):
    """Two requests at once with the same body; their statuses, sorted."""
    barrier, statuses = threading.Barrier(2), []

    def send():
        api = Api(app.test_client(), world.tokens).as_("operator")
        barrier.wait()
        statuses.append(api.post(url, json=body).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.parametrize("attempt", range(3))
def test_parallel_creates_of_one_login_give_one_409(app, api, world, attempt):
    login = f"twin.{attempt}"
    body = {
        "login": login,
        "password": "Strong-pass-42",
        "full_name": "Близнец",
        "grants": [{"role": "expert", "scope_id": world.muni_a.id}],
    }
    assert race(app, world, URL, body) == [201, 409]
    with database.connection_context():
        assert User.select().where(User.login == login).count() == 1
        created = AuditEntry.select().where(
            AuditEntry.object_type == "user", AuditEntry.action == "create"
        )
        assert created.count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_parallel_creates_of_one_organisation_code_give_one_409(app, api, world, attempt):
    code = f"twin-{attempt}"
    body = {"kind": "school", "name": "Школа-близнец", "code": code, "parent_id": world.muni_a.id}
    assert race(app, world, "/api/v1/organizations", body) == [201, 409]
    with database.connection_context():
        assert Organization.select().where(Organization.code == code).count() == 1
        created = AuditEntry.select().where(AuditEntry.object_type == "organization")
        assert created.count() == 1
