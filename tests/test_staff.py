"""Staff through the API: roster scope, teachers' own record, derived age and experience."""

import pytest

from core.db import database
from core.models import AuditEntry, StaffMember

NEW = {
    "full_name": "Кузнецова Ольга Сергеевна",
    "position": "учитель",
    "subjects": ["химия", "биология"],
    "birth_year": 1995,
    "teaching_since": 2024,
    "category": "none",
    "associations": ["РМО учителей химии"],
}


def staff_url(org):
    return f"/api/v1/organizations/{org.id}/staff"


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("coord_a1", "a1", 201),
        ("methodist_a", "a2", 201),
        ("operator", "b1", 201),
        ("coord_a1", "a2", 404),
        ("methodist_b", "a1", 404),
        ("teacher_a1", "a1", 403),
        ("expert_a", "a1", 403),
    ],
)
def test_create_by_role_and_scope(api, world, who, target, status):
    response = api.as_(who).post(staff_url(getattr(world, target)), json=NEW)
    assert response.status_code == status
    with database.connection_context():
        stored = StaffMember.select().where(StaffMember.full_name == NEW["full_name"]).count()
    assert stored == (1 if status == 201 else 0)
    if status == 201:
        assert response.json["subjects"] == ["химия", "биология"]


def test_create_audited(api, world):
    created = api.as_("coord_a1").post(staff_url(world.a1), json=NEW).json
    with database.connection_context():
        entry = AuditEntry.get(AuditEntry.object_type == "staff")
    assert entry.object_id == created["id"]
    # The log says a name was set, never which (152-FZ); other fields are kept as they are.
    assert entry.after["full_name"] == "[персональные данные]"
    assert entry.after["position"] == NEW["position"]


def test_staff_only_in_educational_organisations(api, world):
    response = api.as_("methodist_a").post(staff_url(world.muni_a), json=NEW)
    assert response.status_code == 422


def test_validation_messages_are_russian_and_name_the_field(api, world):
    bad = {**NEW, "birth_year": "тысяча", "category": "супер", "colour": "red"}
    del bad["position"]
    response = api.as_("coord_a1").post(staff_url(world.a1), json=bad)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["birth_year"] == ["Ожидалось целое число."]
    assert fields["position"] == ["Обязательное поле."]
    assert fields["colour"] == ["Неизвестное поле."]
    assert fields["category"][0].startswith("Допустимые значения")
    early = api.as_("coord_a1").post(staff_url(world.a1), json={**NEW, "teaching_since": 2000})
    assert early.status_code == 422
    assert "teaching_since" in early.json["error"]["fields"]


def test_duplicate_personnel_number_conflicts(api, world):
    response = api.as_("coord_a1").post(staff_url(world.a1), json={**NEW, "code": "t-1"})
    assert response.status_code == 409
    assert "code" in response.json["error"]["fields"]


def test_list_with_derived_age_and_experience(api, world):
    response = api.as_("coord_a1").get(staff_url(world.a1), query_string={"as_of": 2024})
    assert response.status_code == 200
    (item,) = response.json["items"]
    assert item["age"] == 26 and item["experience"] == 2
    plain = api.as_("coord_a1").get(staff_url(world.a1)).json["items"][0]
    assert "age" not in plain  # never from today's date


def test_young_and_first_years_filters(api, world):
    url = staff_url(world.region)
    young = api.as_("operator").get(
        url, query_string={"subtree": "true", "as_of": 2024, "under_age": 35}
    )
    assert [i["full_name"] for i in young.json["items"]] == ["Петрова Анна Ивановна"]
    first = api.as_("operator").get(
        url, query_string={"subtree": "true", "as_of": 2030, "experience_below": 3}
    )
    assert first.json["items"] == []  # by 2030 she has 8 years
    everyone = api.as_("operator").get(url, query_string={"subtree": "true"})
    assert everyone.json["total"] == 2
    need_year = api.as_("operator").get(url, query_string={"under_age": 35})
    assert need_year.status_code == 422
    assert "under_age" in need_year.json["error"]["fields"]


def test_subtree_listing_is_cut_to_scope(api, world):
    url = staff_url(world.muni_a)
    assert api.as_("methodist_a").get(url, query_string={"subtree": "true"}).json["total"] == 1
    assert api.as_("methodist_b").get(url, query_string={"subtree": "true"}).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher_a1", 200),
        ("coord_a1", 200),
        ("methodist_a", 200),
        ("coord_b1", 404),
        ("expert_a", 403),
    ],
)
def test_read_one(api, world, who, status):
    response = api.as_(who).get(f"/api/v1/staff/{world.staff_a1.id}")
    assert response.status_code == status
    if status != 200:
        assert "Петрова" not in response.get_data(as_text=True)


def test_teacher_sees_only_own_record(api, world):
    other = api.as_("teacher_a1").post(staff_url(world.a1), json=NEW)
    assert other.status_code == 403
    colleague = api.as_("coord_a1").post(staff_url(world.a1), json=NEW).json
    assert api.as_("teacher_a1").get(f"/api/v1/staff/{colleague['id']}").status_code == 403
    assert api.as_("teacher_a1").get(staff_url(world.a1)).status_code == 403


def test_patch_merges_and_revalidates(api, world):
    url = f"/api/v1/staff/{world.staff_a1.id}"
    response = api.as_("coord_a1").patch(url, json={"category": "first", "is_management": True})
    assert response.status_code == 200
    assert response.json["category"] == "first"
    assert response.json["full_name"] == "Петрова Анна Ивановна"
    bad = api.as_("coord_a1").patch(url, json={"teaching_since": 1999})
    assert bad.status_code == 422
    with database.connection_context():
        assert StaffMember.get_by_id(world.staff_a1.id).teaching_since == 2022
    assert api.as_("teacher_a1").patch(url, json={"category": "highest"}).status_code == 403
    assert api.as_("coord_b1").patch(url, json={"category": "highest"}).status_code == 404


def test_leaving_keeps_the_record(api, world):
    url = f"/api/v1/staff/{world.staff_a1.id}"
    assert api.as_("coord_a1").patch(url, json={"active": False}).status_code == 200
    active = api.as_("coord_a1").get(staff_url(world.a1), query_string={"active": "true"})
    assert active.json["total"] == 0
    assert api.as_("coord_a1").get(url).json["active"] is False
