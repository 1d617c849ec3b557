"""Property-based tests of the form engine.

* The JSON path (marshmallow) and the HTML path (WTForms) agree on every
  generated definition and payload: the same verdict, the same messages,
  the same stored values.
* Through the API: a valid payload is accepted and reads back identical; an
  invalid one is refused with the field named and nothing is stored.
"""

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.api.errors import flatten
from core.db import database
from forms.definition import load_definition
from forms.models import Submission
from forms.to_marshmallow import load
from forms.to_wtforms import html_validate, make_form
from tests.form_strategies import any_value, as_formdata, definitions, invalid_value, payloads
from tests.forms_fixtures import campaign_body


def json_path(definition, payload, full):
    try:
        return load(definition, payload, full=full), {}
    except ValidationError as error:
        return None, flatten(error.messages)


def html_path(definition, payload, full):
    form = make_form(definition, formdata=as_formdata(definition, payload))
    values, errors = html_validate(form, definition, full=full)
    return (None if errors else values), errors


def normalised(values):
    """Blank text and empty lists mean "not filled" in a browser form."""
    if values is None:
        return None

    def keep(value):
        return not (value == "" or value == [] or (isinstance(value, str) and not value.strip()))

    out = {}
    for key, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{k: v for k, v in row.items() if keep(v)} for row in value]
        if keep(value):
            out[key] = value
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_json_and_html_paths_agree(data):
    definition = load_definition(data.draw(definitions()))
    payload = data.draw(payloads(definition, value=any_value, fill_required=False))
    full = data.draw(st.booleans())
    json_values, json_errors = json_path(definition, payload, full)
    html_values, html_errors = html_path(definition, payload, full)
    assert json_errors == html_errors
    assert normalised(json_values) == normalised(html_values)


counter = itertools.count()
API_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _campaign_for(api, world, definition):
    definition = {**definition, "code": f"{definition['code']}_{next(counter)}"}
    created = api.as_("operator").post("/api/v1/forms", json=definition)
    assert created.status_code == 201, created.json
    body = campaign_body(world.region.id, form_code=definition["code"])
    return api.as_("operator").post("/api/v1/campaigns", json=body).json


@API_SETTINGS
@given(data=st.data())
def test_valid_payloads_are_accepted_and_read_back_identical(api, world, data):
    raw = data.draw(definitions())
    definition = load_definition(raw)
    payload = data.draw(payloads(definition))
    campaign = _campaign_for(api, world, raw)
    url = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    saved = api.as_("coord_a1").put(url, json={"data": payload})
    assert saved.status_code == 201, saved.json
    submitted = api.as_("coord_a1").post(f"{url}/submit")
    assert submitted.status_code == 200, submitted.json
    assert api.as_("coord_a1").get(url).json["data"] == payload


@API_SETTINGS
@given(data=st.data())
def test_invalid_payloads_are_refused_and_store_nothing(api, world, data):
    raw = data.draw(definitions())
    definition = load_definition(raw)
    breakable = [
        f
        for f in definition["sections"][0]["fields"]
        if f["type"] != "table" and invalid_value(f) is not None
    ]
    assume(breakable)
    target = data.draw(st.sampled_from(breakable))
    payload = data.draw(payloads(definition))
    payload[target["name"]] = data.draw(invalid_value(target))
    campaign = _campaign_for(api, world, raw)
    url = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    response = api.as_("coord_a1").put(url, json={"data": payload})
    assert response.status_code == 422
    assert target["name"] in response.json["error"]["fields"]
    with database.connection_context():
        assert not Submission.select().where(Submission.campaign == campaign["id"]).exists()
