"""The users pages through the test client, signed in through /signin: the scoped list,
creating an account with a role, granting and revoking on a subtree, deactivating and
changing one's own password; every change checked through the API and the audit log,
every refusal (a role above one's rank, another municipality, a taken login) shown in
Russian with nothing changed."""

import re

from core.db import database
from core.models import AuditEntry, RoleGrant, User
from tests.conftest import PASSWORD
from tests.test_organization_pages import post, queries, signed_in, text


def options(response, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', response.text, re.S)
    return [label.strip("\u2003 ") for label in re.findall(r">([^<]+)</option>", select.group(1))]


def test_the_list_is_scoped_like_the_api(app, api, world):
    page = text(signed_in(app, "methodist.a").get("/users"))
    listed = api.as_("methodist_a").get("/api/v1/users?per_page=100").json["items"]
    assert {u["login"] for u in listed} == {"methodist.a", "coord.a1", "expert.a", "teacher.a1"}
    for user in listed:
        assert user["login"] in page
    assert "coord.b1" not in page
    assert "Координатор образовательной организации — Школа А1" in page
    searched = text(signed_in(app, "operator").get("/users?q=coord"))
    assert "Всего: 2." in searched
    assert signed_in(app, "coord.a1").get("/users").status_code == 403


def test_create_a_user_with_a_role(app, api, world):
    methodist = signed_in(app, "methodist.a")
    form = methodist.get("/users/new")
    # Only roles up to one's rank, only one's municipality in the picker.
    assert options(form, "role") == [
        "Муниципальный методист", "Координатор образовательной организации", "Эксперт"
    ]  # fmt: skip
    assert options(form, "scope_id") == ["Муниципалитет А", "Школа А1", "Сад А2"]
    made = post(methodist, "/users/new", {
        "login": "new.coord", "full_name": "Новикова Ольга", "email": "o@a1.example",
        "password": "correct horse battery", "role": "school_coordinator",
        "scope_id": str(world.a1.id),
    })  # fmt: skip
    assert made.status_code == 302
    found = api.as_("methodist_a").get("/api/v1/users?q=new.coord").json["items"]
    assert [(u["full_name"], u["email"]) for u in found] == [("Новикова Ольга", "o@a1.example")]
    with database.connection_context():
        grants = [(g.role, g.scope_id) for g in RoleGrant.select().where(
            RoleGrant.user == found[0]["id"])]  # fmt: skip
        entry = AuditEntry.get(AuditEntry.action == "create", AuditEntry.object_type == "user")
    assert grants == [("school_coordinator", world.a1.id)]
    assert entry.object_id == found[0]["id"] and entry.login == "methodist.a"
    card = text(methodist.get(made.headers["Location"]))
    assert "Координатор образовательной организации Школа А1" in card


def test_a_taken_login_and_a_bad_email_are_refused_next_to_the_fields(app, world):
    methodist = signed_in(app, "methodist.a")
    refused = post(methodist, "/users/new", {
        "login": "coord.a1", "full_name": "Двойник", "email": "не почта",
        "password": "correct horse battery", "role": "expert", "scope_id": str(world.a1.id),
    })  # fmt: skip
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="email-error"' in html
    taken = post(methodist, "/users/new", {
        "login": "coord.a1", "full_name": "Двойник", "email": "",
        "password": "correct horse battery", "role": "expert", "scope_id": str(world.a1.id),
    })  # fmt: skip
    assert re.search(r'id="login-error">Пользователь с таким логином уже существует', taken.text)
    with database.connection_context():
        assert User.select().where(User.full_name == "Двойник").count() == 0


def test_grant_above_ones_rank_or_elsewhere_is_refused(app, world):
    methodist = signed_in(app, "methodist.a")
    expert = world.users["expert_a"].id
    card = f"/users/{expert}"
    above = post(methodist, f"{card}/grants", {"role": "regional_operator",
                                               "scope_id": str(world.muni_a.id)}, card)  # fmt: skip
    assert above.status_code == 422
    assert "Недостаточно прав, чтобы выдать роль «Региональный оператор»" in text(above)
    elsewhere = post(methodist, f"{card}/grants", {"role": "expert",
                                                   "scope_id": str(world.b1.id)}, card)  # fmt: skip
    assert elsewhere.status_code == 422 and "Организация не найдена." in text(elsewhere)
    assert signed_in(app, "methodist.b").get(card).status_code == 404
    with database.connection_context():
        assert RoleGrant.select().where(RoleGrant.user == expert).count() == 1


def test_grant_revoke_and_deactivate(app, api, world):
    methodist = signed_in(app, "methodist.a")
    expert = world.users["expert_a"].id
    card = f"/users/{expert}"
    granted = post(methodist, f"{card}/grants", {"role": "school_coordinator",
                                                 "scope_id": str(world.a2.id)}, card)  # fmt: skip
    assert granted.status_code == 302
    roles = api.as_("methodist_a").get(f"/api/v1/users?role=school_coordinator&scope={world.a2.id}")
    assert [u["login"] for u in roles.json["items"]] == ["expert.a"]
    with database.connection_context():
        row = RoleGrant.get(RoleGrant.user == expert, RoleGrant.role == "school_coordinator")
    assert post(methodist, f"{card}/grants/{row.id}/revoke", {}, card).status_code == 302
    with database.connection_context():
        assert RoleGrant.get_or_none(RoleGrant.id == row.id) is None
        assert [e.action for e in AuditEntry.select().where(AuditEntry.object_id == expert)
                .order_by(AuditEntry.id)] == ["grant", "revoke"]  # fmt: skip
    assert post(methodist, f"{card}/active", {"active": "0"}, card).status_code == 302
    assert api.as_("methodist_a").get(f"/api/v1/users/{expert}").json["active"] is False
    assert api.as_("expert_a").get("/api/v1/auth/me").status_code == 401  # tokens ended


def test_change_own_password(app, world):
    teacher = signed_in(app, "teacher.a1")
    wrong = post(teacher, "/password", {"current": "nope", "password": "new pass phrase 1",
                                        "repeat": "new pass phrase 1"})  # fmt: skip
    assert wrong.status_code == 422 and "Текущий пароль указан неверно." in text(wrong)
    changed = post(teacher, "/password", {"current": PASSWORD, "password": "new pass phrase 1",
                                          "repeat": "new pass phrase 1"})  # fmt: skip
    assert changed.status_code == 302
    assert "Пароль изменён." in text(teacher.get(changed.headers["Location"]))  # still signed in
    fresh = app.test_client()
    answer = fresh.post("/api/v1/auth/token", json={"login": "teacher.a1",
                                                    "password": "new pass phrase 1"})  # fmt: skip
    assert answer.status_code == 201
    old = fresh.post("/api/v1/auth/token", json={"login": "teacher.a1", "password": PASSWORD})
    assert old.status_code == 401
    assert "Сменить пароль" in teacher.get("/").get_data(as_text=True)


def test_the_list_reads_a_fixed_number_of_queries(app, world):
    operator = signed_in(app, "operator")
    operator.get("/users")
    before = queries(operator, "/users")
    with app.app_context(), database.connection_context():
        for n in range(30):
            user = User.create(login=f"extra.{n}", password_hash="x", full_name=f"Лишний {n}")
            RoleGrant.create(user=user, role="expert", scope=world.muni_a)
            RoleGrant.create(user=user, role="school_coordinator", scope=world.a1)
    assert queries(operator, "/users") == before
