"""The audit log through the API: who reads it, and that it is scoped."""

import pytest

URL = "/api/v1/audit-log"


def make_changes(api, world):
    api.as_("methodist_a").patch(f"/api/v1/organizations/{world.a1.id}", json={"short_name": "А1"})
    api.as_("methodist_b").patch(f"/api/v1/organizations/{world.b1.id}", json={"short_name": "Б1"})


def test_operator_reads_the_region_with_before_and_after(api, world):
    make_changes(api, world)
    response = api.as_("operator").get(URL, query_string={"action": "update"})
    assert response.status_code == 200
    entries = response.json["items"]
    assert {e["object_id"] for e in entries} == {world.a1.id, world.b1.id}
    latest = entries[0]  # newest first
    assert latest["object_id"] == world.b1.id
    assert latest["before"] == {"short_name": ""} and latest["after"] == {"short_name": "Б1"}
    assert latest["login"] == "methodist.b"


def test_filters(api, world):
    make_changes(api, world)
    response = api.as_("admin").get(
        URL, query_string={"object_type": "organization", "object_id": world.a1.id}
    )
    assert [e["object_id"] for e in response.json["items"]] == [world.a1.id]
    by_user = api.as_("admin").get(URL, query_string={"user": world.users["methodist_b"].id})
    assert {e["login"] for e in by_user.json["items"]} == {"methodist.b"}
    future = api.as_("admin").get(URL, query_string={"since": "2999-01-01T00:00:00"})
    assert future.json["items"] == []


def test_operator_of_another_region_sees_nothing_of_this_one(api, world):
    make_changes(api, world)
    other = (
        api.as_("admin")
        .post("/api/v1/organizations", json={"kind": "region", "name": "Другой", "code": "o"})
        .json
    )
    body = {
        "login": "other.operator",
        "password": "Strong-pass-42",
        "full_name": "Оператор другого региона",
        "grants": [{"role": "regional_operator", "scope_id": other["id"]}],
    }
    assert api.as_("admin").post("/api/v1/users", json=body).status_code == 201
    token = api.client.post(
        "/api/v1/auth/token", json={"login": "other.operator", "password": "Strong-pass-42"}
    ).json["token"]
    response = api.client.get(URL, headers={"Authorization": f"Bearer {token}"})
    objects = {(e["object_type"], e["object_id"]) for e in response.json["items"]}
    assert ("organization", world.a1.id) not in objects
    assert ("organization", other["id"]) in objects


@pytest.mark.parametrize("who", ["methodist_a", "coord_a1", "expert_a", "teacher_a1"])
def test_others_may_not_read_it(api, who):
    assert api.as_(who).get(URL).status_code == 403
