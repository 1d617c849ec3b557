"""schemathesis against the application's own OpenAPI document (/api/openapi.json), signed in
as a school coordinator and as a methodist: a bounded, derandomized number of generated
requests per operation, valid and invalid; no answer is a server error, every answer conforms
to its documented status codes and schema, and invalid data is rejected."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.db import database
from core.models import User
from core.security import tokens
from tests.forms_fixtures import MONITORING, campaign_body

EXAMPLES = 6  # per operation, role and mode: the suite stays within its time budget
STATEFUL_EXAMPLES = 25  # sequences per role
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Signing out would end the fuzzing session's own token; it is tested in test_auth.
SKIP = {("DELETE", "/api/v1/auth/token")}


def operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIP:
            yield operation


def known_ids(api, world, who):
    """Ids of real objects the role can reach: half of the runs aim at them, so that
    generated bodies meet real forms, campaigns and submissions, not only 404s."""
    operator = api.as_("operator")
    assert operator.post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = operator.post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    draft = api.as_("coord_a1").put(
        f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}",
        json={"data": {"pairs_total": 1}, "version": None},
    )
    assert draft.status_code == 201
    place = world.a1 if who == "coord_a1" else world.muni_a
    return {
        "org_id": place.id,
        "region_id": world.region.id,
        "staff_id": world.staff_a1.id,
        "campaign_id": campaign["id"],
        "subject_id": world.a1.id,
        "user_id": world.users[who].id,
        "code": MONITORING["code"],
        "name": "mentoring",
        "kind": "staff",
    }


@pytest.mark.slow
@pytest.mark.parametrize("who", ["coord_a1", "methodist_a"])
def test_generated_requests_never_break_the_api(app, api, world, who):
    real = known_ids(api, world, who)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    with database.connection_context():
        token, _ = tokens.issue(User.get_by_id(world.users[who].id), 1)
    headers = {"Authorization": f"Bearer {token}"}
    counted = {"examples": 0, "operations": 0}
    failures = []
    for operation in operations(schema):
        counted["operations"] += 1
        names = [p.name for p in operation.path_parameters]
        targets = [None]
        if names and all(n in real for n in names):
            targets.append({n: real[n] for n in names})
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for target in targets:
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=target)

                @given(case=strategy)
                @settings(
                    max_examples=EXAMPLES,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                )
                def run(case):
                    counted["examples"] += 1
                    case.call_and_validate(headers=headers, checks=CHECKS)

                try:
                    run()
                except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                    assert mode is GenerationMode.NEGATIVE and not operation.body
                except (Exception, BaseExceptionGroup) as error:  # collect all, then fail
                    where = "real ids" if target else "generated ids"
                    failures.append(f"{operation.label} [{mode.value}, {where}]: {error}"[:3000])
    print(f"\nschemathesis as {who}: {counted['operations']} operations, {counted['examples']}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["coord_a1", "methodist_a"])
def test_stateful_sequences_never_break_the_api(app, api, world, who):
    """Sequences along the links schemathesis infers from the document (an id one answer
    gives, the next request uses): create, then read, change, act on what was created."""
    known_ids(api, world, who)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    with database.connection_context():
        token, _ = tokens.issue(User.get_by_id(world.users[who].id), 1)
    statuses = []

    class Sequences(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            # Signing out would end the session's token: that step goes out without it.
            signs_out = (case.method.upper(), case.path) in SKIP
            return {"headers": {"Authorization": "Bearer -" if signs_out else f"Bearer {token}"}}

        def after_call(self, response, case):
            if (case.method.upper(), case.path) not in SKIP:
                statuses.append(response.status_code)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Sequences.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    done = sum(200 <= s < 300 for s in statuses)
    print(f"\nstateful as {who}: {len(statuses)} calls ({done} 2xx) in {STATEFUL_EXAMPLES} runs")
    assert done > 0  # some steps really worked (besides those sent without credentials on
    # purpose, whose 401 the checks verify)
