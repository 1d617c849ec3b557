"""Hostile and malformed input: a clear 4xx with a JSON error, and nothing changed."""

import pytest

from core.db import database
from core.models import AuditEntry, Organization, StaffMember


def counts():
    with database.connection_context():
        return (
            Organization.select().count(),
            StaffMember.select().count(),
            AuditEntry.select().count(),
        )


@pytest.fixture
def post_staff(api, world):
    url = f"/api/v1/organizations/{world.a1.id}/staff"

    def send(**kwargs):
        return api.as_("coord_a1").post(url, **kwargs)

    return send


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{not json", 400, "_schema"),
        (b"[1, 2, 3]", 422, "_schema"),
        (b'"just a string"', 422, "_schema"),
        (b"\xff\xfe\xfa", 400, None),
        (b"[" * 100_000 + b"]" * 100_000, 400, None),
    ],
)
def test_malformed_bodies(post_staff, body, status, field):
    before = counts()
    response = post_staff(data=body, content_type="application/json")
    assert response.status_code == status
    error = response.json["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]
    assert counts() == before


def test_wrong_types_are_named(post_staff):
    before = counts()
    response = post_staff(
        json={
            "full_name": ["массив"],
            "position": 5,
            "birth_year": "1990-01-01",
            "subjects": "математика",
            "is_management": "может быть",
        }
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["full_name"] == ["Ожидалась строка."]
    assert fields["position"] == ["Ожидалась строка."]
    assert fields["subjects"] == ["Ожидался список."]
    assert fields["is_management"] == ["Ожидалось логическое значение (true или false)."]
    assert counts() == before


def test_oversized_body(app, post_staff):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    before = counts()
    response = post_staff(json={"full_name": "x" * 5000})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert counts() == before


@pytest.mark.parametrize(
    "value",
    [
        "'; DROP TABLE staff_member; --",
        "<script>alert(1)</script>",
        "Robert\x00Tables",
        '=HYPERLINK("http://x","y")',
        "../../etc/passwd",
    ],
)
def test_injection_strings_are_stored_verbatim_as_data(api, world, value):
    response = api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={"full_name": value, "position": "учитель", "birth_year": 1980},
    )
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text: refuse it everywhere, clearly.
        assert response.status_code == 422
        assert "full_name" in response.json["error"]["fields"]
        return
    assert response.status_code == 201
    back = api.as_("coord_a1").get(f"/api/v1/staff/{response.json['id']}").json
    assert back["full_name"] == value
    assert response.headers["Content-Type"] == "application/json"


def test_unknown_query_parameters_are_refused(api):
    response = api.as_("operator").get("/api/v1/organizations", query_string={"is_admin": "1"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"is_admin": ["Неизвестное поле."]}


def test_unknown_url_and_method_answer_json(api):
    missing = api.as_("operator").get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"
    wrong = api.as_("operator").put("/api/v1/organizations")
    assert wrong.status_code == 405
    assert wrong.json["error"]["code"] == "method_not_allowed"


def test_integers_beyond_64_bits_are_refused_not_overflowed(api, world):
    huge = 2**64
    before = counts()
    assert api.as_("operator").get(f"/api/v1/organizations/{huge}").status_code == 404
    # No route takes such an id: werkzeug answers 404 or, for some methods, 405.
    assert api.as_("operator").patch(f"/api/v1/users/{huge}", json={}).status_code in (404, 405)
    listed = api.as_("operator").get("/api/v1/users", query_string={"page": huge})
    assert listed.status_code == 422 and "page" in listed.json["error"]["fields"]
    bad = api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={"full_name": "Иванов И", "position": "учитель", "birth_year": huge},
    )
    assert bad.status_code == 422 and "birth_year" in bad.json["error"]["fields"]
    assert counts() == before


def test_answers_match_the_documented_formats(api, world):
    me = api.as_("methodist_a").get("/api/v1/auth/me").json["user"]
    assert me["created_at"].endswith("+00:00")  # RFC 3339: the offset is part of it
    doc = api.get("/api/openapi.json").json
    error = doc["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]
    schema = doc["components"]["schemas"][error["schema"]["$ref"].rsplit("/", 1)[1]]
    assert list(schema["properties"]) == ["error"]
