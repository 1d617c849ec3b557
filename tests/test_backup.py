"""`metodnet backup` / `metodnet restore`: a populated database round-trips exactly."""

import sqlite3
import subprocess
import threading

import psycopg2
import pytest
from click.testing import CliRunner

from core.cli import main
from core.db import database
from tests.forms_fixtures import MONITORING, campaign_body


def populate(api, world):
    """Rows in every kind of table: organisations, staff, users, tokens, forms, campaigns,
    submissions with history, the audit log (JSON, dates, booleans, NULLs, Cyrillic)."""
    operator = api.as_("operator")
    assert operator.post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = operator.post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    staff = api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff",
        json={"full_name": "Иванова Ольга «Тест»", "position": "учитель", "birth_year": 1990},
    )
    assert staff.status_code == 201
    data = {
        "act_adopted": True,
        "act_date": "2024-09-01",
        "pairs_total": 1,
        "pairs_teacher": 1,
        "pairs": [{"mentor": world.staff_a1.id, "mentee": staff.json["id"]}],
    }
    sub_url = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    saved = api.as_("coord_a1").put(sub_url, json={"data": data, "version": None})
    assert saved.status_code == 201, saved.json
    assert api.as_("coord_a1").post(sub_url + "/submit", json={"version": 1}).status_code == 200
    returned = api.as_("methodist_a").post(sub_url + "/return", json={"reason": "x"})
    assert returned.status_code == 200, returned.json


def snapshot(url):
    """Every table's rows, sorted, read straight through the database driver."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split(":///", 1)[1])
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        query = 'SELECT * FROM "{}"'
    else:
        conn = psycopg2.connect(url)
        cur = conn.cursor()
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        names = [r[0] for r in cur.fetchall()]
        query = 'SELECT * FROM "{}"'
    tables = {}
    for name in names:
        cur = conn.cursor()
        cur.execute(query.format(name))
        tables[name] = sorted(tuple(repr(v) for v in row) for row in cur.fetchall())
    conn.close()
    return tables


@pytest.fixture
def cli(app, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))

    def run(url, *args, **kw):
        monkeypatch.setenv("METODNET_DATABASE_URL", url)
        result = CliRunner().invoke(main, list(args), **kw)
        return result

    return run


def test_backup_and_restore_round_trip_every_row(app, api, world, cli, new_database, tmp_path):
    populate(api, world)
    source_url = app.config["DATABASE_URL"]
    if not database.is_closed():
        database.close()
    before = snapshot(source_url)
    assert sum(map(len, before.values())) > 40
    assert {"organization", "staff_member", "audit_entry", "submission"} <= set(before)
    assert all(before[t] for t in ("organization", "staff_member", "audit_entry", "submission"))

    file = tmp_path / "metodnet.backup"
    result = cli(source_url, "backup", str(file))
    assert result.exit_code == 0, result.output
    assert file.stat().st_size > 0

    target_url = new_database()
    refused = cli(target_url, "restore", str(file), input="n\n")
    assert refused.exit_code != 0  # asks first; "no" changes nothing
    result = cli(target_url, "restore", str(file), "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot(target_url) == before
    assert snapshot(source_url) == before  # the backup left the source alone

    # The restored database is a working metodnet: the audit log is still append-only.
    if target_url.startswith("sqlite"):
        conn = sqlite3.connect(target_url.split(":///", 1)[1])
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("DELETE FROM audit_entry")
    else:
        conn = psycopg2.connect(target_url)
        with pytest.raises(psycopg2.Error):
            conn.cursor().execute("DELETE FROM audit_entry")
    conn.close()


def test_restore_rejects_a_file_that_is_not_a_backup(app, cli, new_database, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    result = cli(new_database(), "restore", str(junk), "--yes")
    assert result.exit_code != 0
    assert "Error" in result.output


def test_backup_is_consistent_while_writes_go_on(app, world, cli, tmp_path):
    """A backup taken while another connection keeps committing is a valid snapshot."""
    url = app.config["DATABASE_URL"]
    if not database.is_closed():
        database.close()
    sqlite = url.startswith("sqlite")
    stop = threading.Event()
    written = []

    def writer():
        conn = sqlite3.connect(url.split(":///", 1)[1], timeout=10) if sqlite else None
        conn = conn or psycopg2.connect(url)
        mark = "?" if sqlite else "%s"
        while not stop.is_set():
            cur = conn.cursor()
            cur.execute(
                "INSERT INTO organization_status (organization_id, status, start_date, note,"
                f" created_at) VALUES ({mark}, {mark}, '2024-01-01', '', '2024-01-01')",
                (world.a1.id, f"s{len(written)}"),
            )
            conn.commit()  # one transaction per row
            written.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for i in range(3):
            file = tmp_path / f"b{i}.backup"
            result = cli(url, "backup", str(file))
            assert result.exit_code == 0, result.output
            if sqlite:
                copy = sqlite3.connect(file)
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                copy.close()
            else:
                listed = subprocess.run(
                    ["/usr/bin/pg_restore", "--list", str(file)], capture_output=True
                )
                assert listed.returncode == 0
    finally:
        stop.set()
        thread.join()
    assert written  # the writer really ran beside the backups
