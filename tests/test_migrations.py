"""Numbered migrations: recorded, idempotent, and an upgrade keeps every row."""

import pytest
from click.testing import CliRunner
from peewee import Table

from core import migrator
from core.cli import main
from core.db import database
from core.models import Organization
from core.plugin_access import migration_components
from tests import sample_plugin


def test_upgrade_of_an_existing_database_keeps_every_row(make_app, fresh_database_url):
    app = make_app(plugins=[sample_plugin], database_url=fresh_database_url, migrate=False)
    components = migration_components(app)
    with app.app_context(), database.connection_context():
        # The database as an older release left it: the block at migration 1.
        first = migrator.upgrade(components, until={"sample": 1})
        assert [(m.component, m.number) for m in first] == [
            ("core", 1),
            ("core", 2),
            ("core", 3),
            ("core", 4),
            ("core", 5),
            ("core", 6),
            ("core", 7),
            ("forms", 1),
            ("forms", 2),
            ("forms", 3),
            ("forms", 4),
            ("exports", 1),
            ("exports", 2),
            ("mentoring", 1),
            ("mentoring", 2),
            ("mentoring", 3),
            ("diagnostics", 1),
            ("diagnostics", 2),
            ("sample", 1),
        ]
        region = Organization.create(kind="region", name="Р", code="r", path="/1/")
        # The table as migration 1 made it (no author column yet).
        old_notes = Table("sample_note", ("id", "organization_id", "text")).bind(database)
        old_notes.insert(
            [{"organization_id": region.id, "text": f"заметка {n}"} for n in range(50)]
        ).execute()
        second = migrator.upgrade(components)
        assert [(m.component, m.number) for m in second] == [("sample", 2)]
        rows = sample_plugin.SampleNote.select().order_by(sample_plugin.SampleNote.id)
        assert [r.text for r in rows] == [f"заметка {n}" for n in range(50)]
        assert {r.author for r in rows} == {""}
        assert Organization.get(Organization.code == "r").name == "Р"
        # Nothing left to do: a second run applies nothing.
        assert migrator.upgrade(components) == []
        status = {(m.component, m.number): done for m, done in migrator.status(components)}
        assert status == {
            ("core", 1): True,
            ("core", 2): True,
            ("core", 3): True,
            ("core", 4): True,
            ("core", 5): True,
            ("core", 6): True,
            ("core", 7): True,
            ("forms", 1): True,
            ("forms", 2): True,
            ("forms", 3): True,
            ("forms", 4): True,
            ("exports", 1): True,
            ("exports", 2): True,
            ("mentoring", 1): True,
            ("mentoring", 2): True,
            ("mentoring", 3): True,
            ("diagnostics", 1): True,
            ("diagnostics", 2): True,
            ("sample", 1): True,
            ("sample", 2): True,
        }


def test_audit_log_is_append_only_in_the_database(app):
    from peewee import DatabaseError

    from core import audit
    from core.models import AuditEntry

    with app.app_context(), database.connection_context():
        with database.atomic():
            entry = audit.record("test", object_type="x")
        with pytest.raises(DatabaseError), database.atomic():
            AuditEntry.update(action="forged").execute()
        with pytest.raises(DatabaseError), database.atomic():
            AuditEntry.delete().execute()
        assert AuditEntry.get_by_id(entry.id).action == "test"


def test_gaps_in_numbering_are_refused(tmp_path, monkeypatch):
    package = tmp_path / "gappy_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0001_a.py").write_text("def up(db):\n    pass\n")
    (package / "m0003_c.py").write_text("def up(db):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(migrator.MigrationError, match=r"numbered 1..N, found \[1, 3\]"):
        migrator.discover("gappy", "gappy_migrations")


def test_cli_db_upgrade_is_idempotent(fresh_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    first = runner.invoke(main, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "applied core 0001 initial" in first.output
    again = runner.invoke(main, ["db", "upgrade"])
    assert again.exit_code == 0
    assert "0 migration(s) applied" in again.output
    status = runner.invoke(main, ["db", "status"])
    assert "[x] core 0001 initial" in status.output
