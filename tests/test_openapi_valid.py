"""The OpenAPI document is valid OpenAPI 3 (openapi-spec-validator), and a client generated
from it by a standard generator (openapi-python-client) works: sign in for a token, list
organisations, save and submit a draft — every request and answer through generated code."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from core.db import database
from core.models import StaffMember
from forms.models import Submission
from tests.conftest import PASSWORD
from tests.test_submissions import campaign, valid_data  # noqa: F401  (fixture)

PACKAGE = "metodnet_client"


def test_the_document_is_valid_openapi_3(client):
    document = client.get("/api/openapi.json").json
    validate(document)  # raises with the offending path when invalid
    uploads = document["paths"]["/api/v1/imports/staff"]["post"]
    assert "parameters" not in uploads  # no Swagger 2 `in: formData`
    body = uploads["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(body["properties"]) == {"file", "scope_id"}
    assert set(body["required"]) == {"file", "scope_id"}


@pytest.fixture
def generated(client, tmp_path, monkeypatch):
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(client.get("/api/openapi.json").json), encoding="utf-8")
    venv_bin = str(Path(sys.executable).parent)
    subprocess.run(
        [
            os.path.join(venv_bin, "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],  # fmt: skip
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": venv_bin + os.pathsep + os.environ.get("PATH", "")},
        timeout=300,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_a_generated_client_runs_a_short_journey(app, world, campaign, generated):  # noqa: F811
    transport = {"transport": httpx.WSGITransport(app=app)}
    clients = generated("client")
    models = generated("models")
    anonymous = clients.Client(base_url="http://localhost", httpx_args=transport)

    signed = generated("api.auth.post_api_v1_auth_token").sync_detailed(
        client=anonymous,
        body=models.TokenRequest(login="coord.a1", password=PASSWORD),
    )
    assert signed.status_code == 201, signed.content
    coordinator = clients.AuthenticatedClient(
        base_url="http://localhost", token=signed.parsed.token, httpx_args=transport
    )

    listed = generated("api.organizations.get_api_v1_organizations").sync_detailed(
        client=coordinator
    )
    assert listed.status_code == 200, listed.content
    assert [org.name for org in listed.parsed.items] == ["Школа А1"]

    with database.connection_context():
        mentee = StaffMember.create(
            organization=world.a1, full_name="Новиков Илья", position="учитель", birth_year=2000
        )
    data = {**valid_data(world), "pairs": [{"mentor": world.staff_a1.id, "mentee": mentee.id}]}
    submissions = "api.submissions.{}_api_v1_campaigns_campaign_id_submissions_subject_id{}"
    saved = generated(submissions.format("put", "")).sync_detailed(
        campaign["id"],
        world.a1.id,
        client=coordinator,
        body=models.Save.from_dict({"data": data, "version": None}),
    )
    assert saved.status_code == 201, saved.content
    assert saved.parsed.state == "draft" and saved.parsed.version == 1

    submitted = generated(submissions.format("post", "_submit")).sync_detailed(
        campaign["id"],
        world.a1.id,
        client=coordinator,
        body=models.Submit.from_dict({"version": 1}),
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.parsed.state == "submitted"
    with database.connection_context():
        stored = Submission.get(
            Submission.campaign == campaign["id"], Submission.organization == world.a1.id
        )
    assert stored.state == "submitted" and stored.data["pairs_total"] == 3
