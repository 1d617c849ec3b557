"""Keep the plugin contract honest: every hook documented, and every hook called by the core."""

import inspect

from core import demo, demo_scale, hookspecs
from core.db import database
from core.models import AuditEntry
from tests import sample_plugin
from tests.conftest import Api, World
from tests.forms_fixtures import campaign_body
from tests.sample_plugin import SampleNote

HOOKS = {
    name
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "metodnet_spec")
}


def test_every_hook_has_a_docstring():
    assert len(HOOKS) >= 10
    for name in HOOKS:
        doc = inspect.getdoc(getattr(hookspecs, name))
        assert doc and len(doc) > 20, f"hookspec {name} has no docstring"


def test_the_sample_block_implements_every_hook():
    for name in HOOKS:
        assert hasattr(sample_plugin, name), f"the sample block does not implement {name}"


def test_the_core_calls_every_hook(make_app, new_database):
    """Start-up hooks at create_app, event hooks when a user acts through the API."""
    sample_plugin.CALLS.clear()
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Новая", "code": "n1"}
    assert api.as_("methodist_a").post("/api/v1/organizations", json=body).status_code == 201
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
    campaign = (
        api.as_("operator")
        .post("/api/v1/campaigns", json=campaign_body(world.region.id, form_code="sample_form"))
        .json
    )
    saved = api.as_("coord_a1").put(
        f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}",
        json={"data": {"events": 1}},
    )
    assert saved.status_code == 201
    proposal = api.as_("methodist_a").post(
        f"/api/v1/staff/{world.staff_a1.id}/support-proposals",
        json={"supporter_id": world.staff_b1.id, "kind": "mentoring", "reason": "дефицит"},
    )
    assert proposal.status_code == 201
    erased = api.as_("operator").post(f"/api/v1/staff/{world.staff_b1.id}/erase", json={})
    assert erased.status_code == 200 and "sample: nothing kept" in erased.json["cleared_by_blocks"]
    # `metodnet demo --scale` asks every block for its synthetic data (an empty database).
    scaled = make_app(plugins=[sample_plugin], database_url=new_database())
    tiny = demo_scale.Scale(regions=1, hubs=1, municipalities=2, organizations=4, staff=20)
    with scaled.app_context(), database.connection_context():
        assert demo_scale.load(tiny, blocks=("sample",))["sample"] == 0
    # The plain `metodnet demo` asks every block for its rows (a fresh database).
    plain = make_app(plugins=[sample_plugin], database_url=new_database())
    with plain.app_context(), database.connection_context():
        demo.load(seed=1)
        assert SampleNote.select().count() == 14  # 12 schools, the centre of arts, the MC
        assert AuditEntry.get(AuditEntry.action == "demo_loaded").after["sample_notes"] == 14
    assert HOOKS - set(sample_plugin.CALLS) == set()
