"""Organisations through the API: scope per role, creation rules, moves, statuses."""

import pytest

from core.db import database
from core.models import AuditEntry, Organization

URL = "/api/v1/organizations"


def codes(response):
    return sorted(item["code"] for item in response.json["items"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["a", "a1", "a2", "b", "b1", "b2", "h", "r"]),
        ("operator", ["a", "a1", "a2", "b", "b1", "b2", "h", "r"]),
        ("methodist_a", ["a", "a1", "a2"]),
        ("methodist_b", ["b", "b1", "b2"]),
        ("coord_a1", ["a1"]),
        ("expert_a", ["a", "a1", "a2"]),
        ("teacher_a1", ["a1"]),
    ],
)
def test_list_returns_exactly_the_callers_subtree(api, who, expected):
    response = api.as_(who).get(URL, query_string={"per_page": 500})
    assert response.status_code == 200
    assert codes(response) == expected
    assert response.json["total"] == len(expected)


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("methodist_a", "a1", 200),
        ("methodist_a", "b1", 404),
        ("methodist_a", "region", 404),
        ("coord_a1", "a1", 200),
        ("coord_a1", "a2", 404),
        ("teacher_a1", "a2", 404),
        ("operator", "b2", 200),
    ],
)
def test_get_inside_and_outside_scope(api, world, who, target, status):
    org = getattr(world, target)
    response = api.as_(who).get(f"{URL}/{org.id}")
    assert response.status_code == status
    if status == 404:
        assert response.json["error"]["code"] == "not_found"
        assert org.name not in response.get_data(as_text=True)
    else:
        assert response.json["code"] == org.code


def test_filters_and_pagination(api, world):
    response = api.as_("operator").get(URL, query_string={"parent": world.muni_b.id})
    assert codes(response) == ["b1", "b2"]
    response = api.as_("operator").get(URL, query_string={"kind": "kindergarten"})
    assert codes(response) == ["a2"]
    response = api.as_("operator").get(URL, query_string={"q": "Школа"})
    assert codes(response) == ["a1", "b1", "b2"]
    page = api.as_("operator").get(URL, query_string={"per_page": 3, "page": 2})
    assert page.json["total"] == 8 and len(page.json["items"]) == 3
    bad = api.as_("operator").get(URL, query_string={"kind": "castle"})
    assert bad.status_code == 422
    assert "kind" in bad.json["error"]["fields"]


def test_methodist_creates_a_school_in_own_municipality(api, world):
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Лицей № 3", "code": "a3"}
    response = api.as_("methodist_a").post(URL, json=body)
    assert response.status_code == 201
    created = response.json
    assert created["path"] == f"{world.muni_a.path}{created['id']}/"
    with database.connection_context():
        org = Organization.get_by_id(created["id"])
        assert org.region_id == world.region.id
        entry = AuditEntry.get(AuditEntry.object_type == "organization")
        assert entry.action == "create" and entry.after["code"] == "a3"
        assert entry.user_id == world.users["methodist_a"].id


def test_creation_outside_scope_or_without_right_changes_nothing(api, world):
    body = {"parent_id": world.muni_b.id, "kind": "school", "name": "Чужая", "code": "x1"}
    outside = api.as_("methodist_a").post(URL, json=body)
    assert outside.status_code == 422
    assert outside.json["error"]["fields"]["parent_id"] == ["Вышестоящая организация не найдена."]
    no_right = api.as_("coord_a1").post(URL, json={**body, "parent_id": world.muni_a.id})
    assert no_right.status_code == 403
    region = api.as_("operator").post(URL, json={"kind": "region", "name": "Новый", "code": "n"})
    assert region.status_code == 403  # a new region is for an installation-wide admin
    assert (
        api.as_("admin")
        .post(URL, json={"kind": "region", "name": "Новый", "code": "n"})
        .status_code
        == 201
    )
    with database.connection_context():
        assert not Organization.select().where(Organization.code == "x1").exists()


def test_placement_rules(api, world):
    body = {"parent_id": world.a1.id, "kind": "school", "name": "Школа в школе", "code": "z"}
    response = api.as_("operator").post(URL, json=body)
    assert response.status_code == 422
    assert "parent_id" in response.json["error"]["fields"]
    orphan = api.as_("admin").post(URL, json={"kind": "school", "name": "Сирота", "code": "z"})
    assert orphan.status_code == 422


def test_duplicate_code_in_region_conflicts(api, world):
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Дубль", "code": "b1"}
    response = api.as_("operator").post(URL, json=body)
    assert response.status_code == 409
    assert response.json["error"]["fields"]["code"] == ["Код уже используется в этом регионе."]


def test_move_rewrites_subtree_paths(api, world):
    response = api.as_("operator").patch(
        f"{URL}/{world.muni_a.id}", json={"parent_id": world.hub.id}
    )
    assert response.status_code == 200
    assert response.json["path"] == f"{world.hub.path}{world.muni_a.id}/"
    school = api.as_("operator").get(f"{URL}/{world.a1.id}").json
    assert school["path"] == f"{world.hub.path}{world.muni_a.id}/{world.a1.id}/"
    # The methodist of A still sees A's schools after the move.
    assert codes(api.as_("methodist_a").get(URL)) == ["a", "a1", "a2"]


def test_cannot_move_into_own_subtree(api, world):
    response = api.as_("operator").patch(f"{URL}/{world.hub.id}", json={"parent_id": world.b1.id})
    assert response.status_code == 422


def test_update_fields_and_audit(api, world):
    response = api.as_("methodist_a").patch(
        f"{URL}/{world.a1.id}", json={"name": "Школа А1 имени Гагарина", "active": False}
    )
    assert response.status_code == 200
    assert response.json["active"] is False
    with database.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "update")
        assert entry.before == {"name": "Школа А1", "active": True}
        assert entry.after == {"name": "Школа А1 имени Гагарина", "active": False}
    assert api.as_("coord_a1").patch(f"{URL}/{world.a1.id}", json={"name": "X"}).status_code == 403
    assert (
        api.as_("methodist_b").patch(f"{URL}/{world.a1.id}", json={"name": "X"}).status_code == 404
    )


def test_statuses_with_periods(api, world):
    url = f"{URL}/{world.a1.id}/statuses"
    first = api.as_("methodist_a").post(
        url, json={"status": "flagship", "start_date": "2024-09-01", "end_date": "2026-08-31"}
    )
    assert first.status_code == 201
    second = api.as_("methodist_a").post(
        url, json={"status": "tochka_rosta", "start_date": "2023-09-01"}
    )
    assert second.status_code == 201
    overlap = api.as_("methodist_a").post(
        url, json={"status": "flagship", "start_date": "2025-01-01"}
    )
    assert overlap.status_code == 409
    backwards = api.as_("methodist_a").post(
        url, json={"status": "mentor_school", "start_date": "2025-01-01", "end_date": "2024-01-01"}
    )
    assert backwards.status_code == 422
    assert backwards.json["error"]["fields"]["end_date"] == ["Дата окончания раньше даты начала."]
    listed = api.as_("coord_a1").get(url).json
    assert [s["status"] for s in listed] == ["tochka_rosta", "flagship"]
    org = api.as_("coord_a1").get(f"{URL}/{world.a1.id}").json
    assert sorted(org["statuses"]) == ["tochka_rosta"] or "flagship" in org["statuses"]
    holders = api.as_("operator").get(URL, query_string={"status": "tochka_rosta"})
    assert codes(holders) == ["a1"]
    on_municipality = api.as_("operator").post(
        f"{URL}/{world.muni_a.id}/statuses", json={"status": "flagship", "start_date": "2024-01-01"}
    )
    assert on_municipality.status_code == 422
    removed = api.as_("methodist_a").delete(f"{url}/{second.json['id']}")
    assert removed.status_code == 204
    assert [s["status"] for s in api.as_("coord_a1").get(url).json] == ["flagship"]
