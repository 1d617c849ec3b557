"""Property-based tests: accepted input reads back identical, refused input stores nothing."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.db import database
from core.models import Organization, StaffMember
from core.schemas.base import CONTROL

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
counter = itertools.count()

clean_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=120,
).filter(lambda s: not CONTROL.search(s))


@SETTINGS
@given(name=clean_text, short_name=clean_text | st.just(""))
def test_any_clean_name_reads_back_identical(api, world, name, short_name):
    code = f"p{next(counter)}"
    body = {
        "parent_id": world.muni_a.id,
        "kind": "school",
        "name": name,
        "short_name": short_name,
        "code": code,
    }
    response = api.as_("methodist_a").post("/api/v1/organizations", json=body)
    assert response.status_code == 201, response.json
    back = api.as_("methodist_a").get(f"/api/v1/organizations/{response.json['id']}").json
    assert (back["name"], back["short_name"], back["code"]) == (name, short_name, code)


bad_codes = st.builds(
    lambda head, bad, tail: head + bad + tail,
    st.text(max_size=20),
    st.sampled_from(list(" /?#%'\"<>,;:*")),
    st.text(max_size=20),
) | st.text(alphabet="ab1", min_size=65, max_size=90)


@SETTINGS
@given(code=bad_codes)
def test_bad_codes_are_refused_and_nothing_is_stored(api, world, code):
    with database.connection_context():
        before = Organization.select().count()
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Школа", "code": code}
    response = api.as_("methodist_a").post("/api/v1/organizations", json=body)
    assert response.status_code == 422
    assert "code" in response.json["error"]["fields"]
    with database.connection_context():
        assert Organization.select().count() == before


staff_payloads = st.fixed_dictionaries(
    {
        "full_name": clean_text,
        "position": clean_text,
        "birth_year": st.integers(1940, 2005),
        "subjects": st.lists(clean_text, max_size=5),
        "is_management": st.booleans(),
        "category": st.sampled_from(["none", "first", "highest", "conformity"]),
    },
    optional={"teaching_since": st.integers(1950, 2026)},
)


@SETTINGS
@given(payload=staff_payloads)
def test_staff_payloads_are_accepted_exactly_when_valid(api, world, payload):
    with database.connection_context():
        before = StaffMember.select().count()
    response = api.as_("coord_a1").post(f"/api/v1/organizations/{world.a1.id}/staff", json=payload)
    since = payload.get("teaching_since")
    valid = since is None or since >= payload["birth_year"] + 14
    if not valid:
        assert response.status_code == 422
        assert "teaching_since" in response.json["error"]["fields"]
        with database.connection_context():
            assert StaffMember.select().count() == before
        return
    assert response.status_code == 201, response.json
    back = api.as_("coord_a1").get(f"/api/v1/staff/{response.json['id']}").json
    for key, value in payload.items():
        assert back[key] == value
