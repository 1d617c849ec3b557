"""The plugin contract: registration, declarations, activation per municipality."""

import importlib
import sys
import textwrap

import pluggy
import pytest

from core.db import database
from core.hookspecs import hookimpl
from core.models import AuditEntry
from core.plugins import ENGINES, PluginError, collect, create_manager
from plugins import BUILTIN
from tests import sample_plugin
from tests.conftest import Api, World

# The built-in blocks, by the name each gives itself (plugins.BUILTIN lists their modules).
BUILTIN_MODULES = {
    module.plugin_info()["name"]: module for module in map(importlib.import_module, BUILTIN)
}


@pytest.fixture
def plugin_app(make_app):
    return make_app(plugins=[sample_plugin])


@pytest.fixture
def papi(plugin_app):
    with plugin_app.app_context(), database.connection_context():
        world = World()
    client = plugin_app.test_client()
    return Api(client, world.tokens), world


def notes_url(org):
    return f"/api/v1/sample/organizations/{org.id}/notes"


def enabled_here(api, who, org):
    items = api.as_(who).get("/api/v1/plugins", query_string={"organization": org.id}).json
    return {p["name"]: p["enabled"] for p in items["items"]}["sample"]


def test_declarations_are_collected_by_code(plugin_app):
    registry = plugin_app.extensions["metodnet.registry"]
    assert registry.plugins["sample"].title == "Тестовый блок"
    for kind, code in [
        ("forms", "sample_form"),
        ("checklists", "sample_checklist"),
        ("exports", "sample_export"),
        ("indicators", "sample_indicator"),
    ]:
        assert registry.owner(kind, code) == "sample"
        assert code in [d["code"] for d in registry.items(kind, enabled={"sample"})]
        assert registry.items(kind, enabled=set()) == []
    assert registry.migrations["sample"] == "tests.sample_plugin.migrations"
    for name, module in BUILTIN_MODULES.items():
        if hasattr(module, "register_migrations"):
            assert registry.migrations[name] == module.register_migrations()
    # The core and its engines declare theirs the same way, and come first.
    assert list(registry.migrations)[: len(ENGINES)] == list(ENGINES)


def test_plugins_listing(papi):
    api, world = papi
    response = api.as_("coord_a1").get("/api/v1/plugins")
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json["items"]}
    assert len(BUILTIN_MODULES) == len(BUILTIN) >= 2
    assert set(items) == {*BUILTIN_MODULES, "sample"}  # built-in blocks + the inline one
    assert items["sample"]["version"] == "1.0" and "enabled" not in items["sample"]


def test_a_block_is_off_until_enabled_and_the_nearest_setting_wins(papi):
    api, world = papi
    assert enabled_here(api, "operator", world.b1) is False
    assert api.as_("methodist_b").get(notes_url(world.b1)).status_code == 404
    # The region switches it on for everyone...
    assert (
        api.as_("operator")
        .put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
        .status_code
        == 200
    )
    assert enabled_here(api, "operator", world.b1) is True
    assert enabled_here(api, "operator", world.a1) is True
    # ...municipality A opts out; B keeps it.
    assert (
        api.as_("methodist_a")
        .delete(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
        .status_code
        == 200
    )
    assert enabled_here(api, "operator", world.a1) is False
    assert enabled_here(api, "operator", world.b1) is True
    listing = api.as_("operator").get("/api/v1/plugins", query_string={"organization": world.a1.id})
    sample = next(p for p in listing.json["items"] if p["name"] == "sample")
    assert sample["setting_at"] == world.muni_a.id


def test_disabled_block_disappears_and_keeps_its_data(papi):
    api, world = papi
    switch = f"/api/v1/organizations/{world.muni_a.id}/plugins/sample"
    assert api.as_("methodist_a").put(switch).status_code == 200
    added = api.as_("methodist_a").post(notes_url(world.a1), json={"text": "План на сентябрь"})
    assert added.status_code == 201
    assert added.json["author"] == "methodist.a"
    assert api.as_("methodist_a").delete(switch).status_code == 200
    assert api.as_("methodist_a").get(notes_url(world.a1)).status_code == 404
    assert api.as_("methodist_a").post(notes_url(world.a1), json={"text": "x"}).status_code == 404
    assert api.as_("methodist_a").put(switch).status_code == 200
    notes = api.as_("methodist_a").get(notes_url(world.a1)).json
    assert [n["text"] for n in notes] == ["План на сентябрь"]


def test_activation_rules(papi):
    api, world = papi
    school = api.as_("operator").put(f"/api/v1/organizations/{world.a1.id}/plugins/sample")
    assert school.status_code == 422
    assert "organization_id" in school.json["error"]["fields"]
    unknown = api.as_("operator").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/nope")
    assert unknown.status_code == 404
    foreign = api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_b.id}/plugins/sample")
    assert foreign.status_code == 404
    coordinator = api.as_("coord_a1").put(f"/api/v1/organizations/{world.a1.id}/plugins/sample")
    assert coordinator.status_code == 403
    hub = api.as_("operator").put(f"/api/v1/organizations/{world.hub.id}/plugins/sample")
    assert hub.status_code == 200
    assert enabled_here(api, "operator", world.b2) is True
    assert enabled_here(api, "operator", world.a2) is False
    with database.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "plugin_enable")
    assert entry.after == {"plugin": "sample", "enabled": True}


def test_organization_created_event(papi):
    api, world = papi
    sample_plugin.EVENTS.clear()
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Новая", "code": "a9"}
    assert api.as_("methodist_a").post("/api/v1/organizations", json=body).status_code == 201
    assert ("organization_created", "a9", "methodist.a") in sample_plugin.EVENTS


def test_plugin_command_is_added(plugin_app):
    result = plugin_app.test_cli_runner().invoke(args=["sample-hello"])
    assert result.exit_code == 0
    assert "Привет от тестового блока" in result.output


class Duplicate:
    @hookimpl
    def plugin_info(self):
        return {"name": "duplicate", "title": "Дубль", "version": "1"}

    @hookimpl
    def register_forms(self):
        return [{"code": "sample_form"}]


def test_duplicate_codes_are_refused_with_both_names():
    pm = create_manager(extra_plugins=[sample_plugin, Duplicate()], load_entry_points=False)
    with pytest.raises(PluginError, match="'sample_form' is declared twice: by 'sample' and by"):
        collect(pm)


class Nameless:
    @hookimpl
    def register_forms(self):
        return [{"code": "x"}]


def test_a_plugin_without_info_is_refused():
    pm = create_manager(extra_plugins=[Nameless()], load_entry_points=False)
    with pytest.raises(PluginError, match="not plugin_info"):
        collect(pm)


class Misspelt:
    @hookimpl
    def register_form(self):  # missing "s"
        return []


def test_misspelt_hook_fails_loudly():
    with pytest.raises(pluggy.PluginValidationError):
        create_manager(extra_plugins=[Misspelt()], load_entry_points=False)


class RefusesToStart:
    @hookimpl
    def plugin_info(self):
        return {"name": "refuses", "title": "Неисправный блок", "version": "1"}

    @hookimpl
    def startup(self, app):
        raise PluginError("refuses: its catalogue is missing")


def test_a_block_refusing_at_startup_stops_the_app(make_app):
    with pytest.raises(PluginError, match="catalogue is missing"):
        make_app(plugins=[RefusesToStart()])


def test_an_engine_checks_the_blocks_declarations_at_startup(make_app):
    class BadIndicator:
        @hookimpl
        def plugin_info(self):
            return {"name": "bad", "title": "Блок без расчёта", "version": "1"}

        @hookimpl
        def register_indicators(self):
            return [{"code": "bad_share", "title": "Доля", "unit": "share"}]

    with pytest.raises(PluginError, match="'bad_share' needs a unit .* compute_grouped"):
        make_app(plugins=[BadIndicator()])


def test_installed_plugins_arrive_through_entry_points(tmp_path, monkeypatch):
    """A pip-installed block registers through the metodnet.plugins entry-point group."""
    (tmp_path / "external_block.py").write_text(
        textwrap.dedent(
            """
            from core.hookspecs import hookimpl

            @hookimpl
            def plugin_info():
                return {"name": "external", "title": "Внешний блок", "version": "0.3"}
            """
        )
    )
    dist = tmp_path / "external_block-0.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: external-block\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text("[metodnet.plugins]\nexternal = external_block\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        registry = collect(create_manager())
    finally:
        sys.modules.pop("external_block", None)
    assert registry.plugins["external"].title == "Внешний блок"
