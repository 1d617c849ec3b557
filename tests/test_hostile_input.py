"""Hostile text and numbers sent to the JSON API: 422 naming the field, nothing stored.

Each case is the exact request an outside probe sent and once answered 500 (a lone UTF-16
surrogate, an integer of 100,000 digits) or accepted (a name of only spaces)."""

import json

import pytest

from core.db import database
from core.models import AuditEntry, Organization, StaffMember
from core.schemas.base import BLANK_MESSAGE, CONTROL_MESSAGE, SURROGATE_MESSAGE
from forms.models import Submission
from tests.forms_fixtures import MONITORING, campaign_body


def counts():
    with database.connection_context():
        return (
            Organization.select().count(),
            StaffMember.select().count(),
            AuditEntry.select().count(),
            Submission.select().count(),
        )


def send(client, method, url, body):
    """The body as a JSON client sends it: a lone surrogate travels as the escape "\\ud800"."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.request(method, url, data=data, content_type="application/json")


def post_staff(api, world, body):
    return send(api.as_("coord_a1"), "POST", f"/api/v1/organizations/{world.a1.id}/staff", body)


STAFF = {"full_name": "Иванов Иван", "position": "учитель", "birth_year": 1980}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "Иван\ud800ов", SURROGATE_MESSAGE),
        ("position", "\udfff", SURROGATE_MESSAGE),
        ("full_name", "Иван\x00ов", CONTROL_MESSAGE),
        ("full_name", "   ", BLANK_MESSAGE),
        ("position", " \t ", BLANK_MESSAGE),
    ],
)
def test_unstorable_text_in_a_staff_record_is_named(api, world, field, value, message):
    before = counts()
    response = post_staff(api, world, {**STAFF, field: value})
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {field: [message]}
    assert counts() == before


def test_surrogate_inside_a_list_names_the_list(api, world):
    before = counts()
    response = post_staff(api, world, {**STAFF, "subjects": ["физика", "\ud800"]})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"subjects": [SURROGATE_MESSAGE]}
    blank = post_staff(api, world, {**STAFF, "subjects": ["  "]})
    assert blank.json["error"]["fields"] == {"subjects.0": [BLANK_MESSAGE]}
    assert counts() == before


def test_an_integer_of_100000_digits_is_refused_by_name(api, world):
    before = counts()
    body = b'{"full_name": "X", "position": "y", "birth_year": ' + b"9" * 100_000 + b"}"
    response = post_staff(api, world, body)
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["birth_year"]
    # A query string stays under the 8 KB limit of a URL (beyond it: 414, test_security_headers)
    listed = api.as_("operator").get("/api/v1/organizations", query_string={"page": "9" * 5_000})
    assert listed.status_code == 422 and "page" in listed.json["error"]["fields"]
    negative = post_staff(api, world, body.replace(b": 9", b": -9"))
    assert negative.status_code == 422 and "birth_year" in negative.json["error"]["fields"]
    assert counts() == before


def test_a_lone_surrogate_in_a_login_is_named(api, world):
    before = counts()
    response = send(api, "POST", "/api/v1/auth/token", {"login": "admin\ud800", "password": "x"})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"login": [SURROGATE_MESSAGE]}
    assert counts() == before


def test_organisation_name_of_only_spaces_and_a_path_code(api, world):
    before = counts()
    body = {"kind": "school", "name": "   ", "code": "../../x", "parent_id": world.muni_a.id}
    response = api.as_("operator").post("/api/v1/organizations", json=body)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["name"] == [BLANK_MESSAGE]
    assert fields["code"] == ["Код: буквы, цифры, точка, дефис; до 64 символов."]
    assert counts() == before


def test_a_lone_surrogate_in_a_submission_text_is_named(api, world):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    path = f"/api/v1/campaigns/{campaign.json['id']}/submissions/{world.a1.id}"
    before = counts()
    response = send(
        api.as_("coord_a1"),
        "PUT",
        path,
        {"data": {"act_number": "№\ud83d", "pairs_total": 1}, "version": None},
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"data.act_number": [SURROGATE_MESSAGE]}
    assert counts() == before
    saved = api.as_("coord_a1").put(
        path, json={"data": {"act_number": "№ 5 🙂", "pairs_total": 1}, "version": None}
    )
    assert saved.status_code == 201  # a real (paired) emoji is text like any other


@pytest.mark.parametrize("depth", [50, 700])
def test_a_surrogate_deep_inside_nested_lists_is_found_without_recursion(api, world, depth):
    before = counts()
    body = b'{"full_name": "X", "position": "y", "birth_year": 1980, "subjects": '
    body += b"[" * depth + b'"\\ud800"' + b"]" * depth + b"}"
    response = post_staff(api, world, body)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"subjects": [SURROGATE_MESSAGE]}
    assert counts() == before
