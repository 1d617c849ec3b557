"""A block's region settings: declared by the block, stored, guarded and audited by the core,
read back by the block's own domain functions; old rows survive the move to the core."""

from peewee import Table

from core import block_settings, migrator
from core.db import database
from core.models import AuditEntry, BlockSetting, Organization
from core.plugin_access import migration_components
from tests.access_fixtures import create_and_sign_in

YEAR = 2025


def url(world, plugin="mentoring"):
    return f"/api/v1/organizations/{world.region.id}/settings/{plugin}"


def mentee_cap_target(api, world):
    report = api.as_("methodist_a").get(
        "/api/v1/indicators", query_string={"scope": world.muni_a.id, "period": str(YEAR)}
    )
    values = {v["code"]: v for v in report.json["rows"][0]["values"]}
    return values["mentees_per_mentor"]["target"]


def mentoring_on(api, world):
    switched = api.as_("methodist_a").put(
        f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring"
    )
    assert switched.status_code == 200


def test_defaults_then_a_change_stored_audited_and_used_by_the_block(api, world):
    mentoring_on(api, world)
    defaults = {"mentee_cap": 3}
    assert api.as_("teacher_a1").get(url(world)).json == defaults  # anyone in the region
    assert mentee_cap_target(api, world) == 3
    changed = api.as_("operator").put(url(world), json={"mentee_cap": 2})
    assert changed.status_code == 200, changed.json
    assert changed.json == {"mentee_cap": 2}
    assert api.as_("coord_a1").get(url(world)).json == changed.json
    assert mentee_cap_target(api, world) == 2  # the indicator reads the core's store
    with database.connection_context():
        row = BlockSetting.get()
        assert (row.region_id, row.plugin, row.values) == (
            world.region.id,
            "mentoring",
            changed.json,
        )
        assert row.changed_by_id == world.users["operator"].id
    log = api.as_("operator").get(
        "/api/v1/audit-log", query_string={"object_type": "block_setting"}
    )
    [entry] = log.json["items"]
    assert entry["before"] == {"plugin": "mentoring", "values": defaults}
    assert entry["after"] == {"plugin": "mentoring", "values": changed.json}
    assert entry["login"] == "operator"


def test_nested_values_merge_key_by_key(api, world):
    """Diagnostics: thresholds of one procedure change, the others keep theirs."""
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/diagnostics")
    stricter = {"high": 90, "elevated": 70, "basic": 50}
    body = {"thresholds": {"federal": stricter}, "load_cap": 4}
    assert api.as_("operator").put(url(world, "diagnostics"), json=body).status_code == 200
    body = {"thresholds": {"self": {"high": 80, "elevated": 60, "basic": 30}}, "load_cap": 5}
    assert api.as_("operator").put(url(world, "diagnostics"), json=body).status_code == 200
    read = api.as_("coord_a1").get(url(world, "diagnostics")).json
    assert read["thresholds"]["federal"] == stricter
    assert read["thresholds"]["self"] == {"high": 80, "elevated": 60, "basic": 30}
    assert read["thresholds"]["regional"] == {"high": 85, "elevated": 65, "basic": 40}
    assert read["load_cap"] == 5


def test_bad_values_are_refused_in_russian_and_nothing_is_stored(api, world):
    mentoring_on(api, world)
    cases = [
        ({"mentee_cap": 0}, "mentee_cap", "Значение должно быть"),
        ({"mentee_cap": "много"}, "mentee_cap", "целое число"),
        ({}, "mentee_cap", "Обязательное поле"),
        ({"mentee_cap": 2, "colour": 1}, "colour", "Неизвестное поле"),
        # The coverage target is no setting any more: it is set per year among the targets.
        ({"coverage_target": 80, "mentee_cap": 2}, "coverage_target", "Неизвестное поле"),
    ]
    for body, field, text in cases:
        response = api.as_("operator").put(url(world), json=body)
        assert response.status_code == 422, (body, response.json)
        assert text in response.json["error"]["fields"][field][0], response.json
    with database.connection_context():
        assert BlockSetting.select().count() == 0
        assert AuditEntry.select().where(AuditEntry.object_type == "block_setting").count() == 0
    assert api.as_("operator").get(url(world)).json["mentee_cap"] == 3


def test_who_may_read_and_change(api, world):
    mentoring_on(api, world)
    body = {"mentee_cap": 2}
    assert api.as_("methodist_a").put(url(world), json=body).status_code == 403
    assert api.as_("coord_a1").put(url(world), json=body).status_code == 403
    other = api.as_("admin").post(
        "/api/v1/organizations", json={"kind": "region", "name": "Другой", "code": "o"}
    )
    grant = [{"role": "regional_operator", "scope_id": other.json["id"]}]
    create_and_sign_in(api, "admin", "other.operator", grant)
    assert api.as_("other.operator").get(url(world)).status_code == 404
    assert api.as_("other.operator").put(url(world), json=body).status_code == 404
    assert api.as_("admin").put(url(world), json=body).status_code == 200
    # Not a region, no such block, a block without settings, a block off in the region.
    municipality = f"/api/v1/organizations/{world.muni_a.id}/settings/mentoring"
    assert api.as_("operator").get(municipality).status_code == 422
    assert api.as_("operator").get(url(world, "olympiads")).status_code == 404
    assert api.as_("operator").get(url(world, "diagnostics")).status_code == 404
    assert api.get(url(world)).status_code == 401


def test_the_sample_block_reads_its_settings_through_the_core(sample):
    api, world = sample
    assert api.as_("coord_a1").get(url(world, "sample")).json == {"notes_per_day": 5}
    settings_url = url(world, "sample")
    assert api.as_("operator").put(settings_url, json={"notes_per_day": 1}).status_code == 200
    notes = f"/api/v1/sample/organizations/{world.a1.id}/curated-notes"
    assert api.as_("admin").post(notes, json={"text": "первая"}).status_code == 201
    second = api.as_("admin").post(notes, json={"text": "вторая"})
    assert second.status_code == 422
    assert second.json["error"]["fields"]["text"] == ["Не больше 1 заметок."]


def test_settings_saved_before_the_move_survive_the_upgrade(make_app, fresh_database_url):
    app = make_app(database_url=fresh_database_url, migrate=False)
    components = migration_components(app)
    with app.app_context(), database.connection_context():
        # The database as the release before left it: settings in the blocks' own tables.
        migrator.upgrade(components, until={"core": 1, "mentoring": 1, "diagnostics": 1})
        region = Organization.create(kind="region", name="Р", code="r", path="/1/")
        other = Organization.create(kind="region", name="Д", code="d", path="/2/")
        Table("mentoring_setting", ("region_id", "coverage_target", "mentee_cap")).bind(
            database
        ).insert(region_id=region.id, coverage_target=100, mentee_cap=5).execute()
        stricter = {"federal": {"high": 90, "elevated": 70, "basic": 50}}
        Table("diagnostics_setting", ("region_id", "thresholds", "load_cap")).bind(database).insert(
            region_id=region.id, thresholds=_json(stricter), load_cap=4
        ).execute()
        done = [(m.component, m.number) for m in migrator.upgrade(components)]
        assert done.index(("core", 2)) < done.index(("mentoring", 2))
        # (the coverage target then moved on to the targets: tests/test_indicator_targets.py)
        assert block_settings.read(region.id, "mentoring") == {"mentee_cap": 5}
        diagnostics = block_settings.read(region.id, "diagnostics")
        assert diagnostics["load_cap"] == 4
        assert diagnostics["thresholds"]["federal"] == stricter["federal"]
        assert diagnostics["thresholds"]["regional"] == {"high": 85, "elevated": 65, "basic": 40}
        assert block_settings.read(other.id, "mentoring") == {"mentee_cap": 3}
        tables = set(database.get_tables())
        assert "mentoring_setting" not in tables and "diagnostics_setting" not in tables


def _json(value):
    import json

    return json.dumps(value)
