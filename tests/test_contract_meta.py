"""Keep the plugin contract honest: every hook documented (docstring and README), implemented
by the sample block, called by the core; and no engine or block reaching into the CLI."""

import ast
import inspect
import re
from pathlib import Path

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
ROOT = Path(__file__).resolve().parent.parent


def test_every_hook_has_a_docstring():
    assert len(HOOKS) >= 10
    for name in HOOKS:
        doc = inspect.getdoc(getattr(hookspecs, name))
        assert doc and len(doc) > 20, f"hookspec {name} has no docstring"


def test_the_sample_block_implements_every_hook():
    missing = {name for name in HOOKS if not hasattr(sample_plugin, name)}
    assert not missing, f"the sample block does not implement {missing}"


def _writing_a_plugin() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Writing a plugin\n", 1)[1]
    return re.split(r"^## ", section, maxsplit=1, flags=re.MULTILINE)[0]


def test_the_readme_names_every_hook():
    section = _writing_a_plugin()
    assert section.lstrip().startswith("Start from `tests/sample_plugin/__init__.py`")
    unnamed = {name for name in HOOKS if f"`{name}" not in section}
    assert not unnamed, f"README's 'Writing a plugin' does not name {unnamed}"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_engine_or_block_imports_the_cli():
    sources = [
        path
        for package in ("forms", "exports", "plugins", "tests/sample_plugin")
        for path in (ROOT / package).rglob("*.py")
    ]
    assert len(sources) > 50
    offenders = [str(p.relative_to(ROOT)) for p in sources if "core.cli" in _imports(p)]
    assert offenders == []


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
    hired = api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={"full_name": "Новый Работник", "position": "учитель", "birth_year": 1990},
    )
    assert hired.status_code == 201
    assert ("staff_changed", hired.json["id"], "create") in sample_plugin.EVENTS
    proposal = api.as_("methodist_a").post(
        f"/api/v1/staff/{world.staff_a1.id}/support-proposals",
        json={"supporter_id": world.staff_b1.id, "kind": "mentoring", "reason": "дефицит"},
    )
    assert proposal.status_code == 201
    # --- activity --- the growth profile asks every block switched on there for its sections.
    profile = api.as_("teacher_a1").get(f"/api/v1/staff/{world.staff_a1.id}/profile")
    assert profile.status_code == 200
    assert "sample_notes" in [section["code"] for section in profile.json["sections"]]
    erased = api.as_("operator").post(f"/api/v1/staff/{world.staff_b1.id}/erase", json={})
    assert erased.status_code == 200 and "sample: nothing kept" in erased.json["cleared_by_blocks"]
    # The home page asks every block for its menu links and widgets (register_pages ran at
    # create_app).
    from tests.test_pages import sign_in

    browser = app.test_client()
    assert sign_in(browser, "methodist.a").status_code == 302
    assert "Заметки тестового блока" in browser.get("/").text
    # `metodnet demo --scale` asks every block for its synthetic data (an empty database).
    scaled = make_app(plugins=[sample_plugin], database_url=new_database())
    tiny = demo_scale.Scale(regions=1, hubs=1, municipalities=2, organizations=4, staff=20)
    with scaled.app_context(), database.connection_context():
        assert demo_scale.load(tiny, blocks=("sample",))["sample"] == 0
    # Start-up again after the schema is brought up to date, as `metodnet db upgrade` does.
    sample_plugin.EVENTS.clear()
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    assert [e for e in sample_plugin.EVENTS if e[0] == "startup" and "sample" in e[1]]
    uncalled = HOOKS - set(sample_plugin.CALLS)
    # The plain `metodnet demo` asks every block for its rows (a fresh database).
    plain = make_app(plugins=[sample_plugin], database_url=new_database())
    with plain.app_context(), database.connection_context():
        demo.load(seed=1)
        assert SampleNote.select().count() == 14  # 12 schools, the centre of arts, the MC
        assert AuditEntry.get(AuditEntry.action == "demo_loaded").after["sample_notes"] == 14
    uncalled = HOOKS - set(sample_plugin.CALLS)
    assert not uncalled, f"no test makes the core call {uncalled}"
