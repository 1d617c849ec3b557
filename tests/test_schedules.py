"""Scheduled campaigns: a form's "schedule" opens its campaign on the due day, once per
municipality and period, only where the block is on; overrides move it or switch it off."""

import datetime as dt
import threading

import pytest
from click.testing import CliRunner

import core.api  # noqa: F401  (before forms: core.schemas.base and core.api import each other)
from core.cli import main
from core.db import database
from core.models import AuditEntry
from core.plugins import PluginError
from forms import audience, scheduled_campaigns, store
from forms.models import Campaign, ScheduleOpening
from tests.conftest import Api, World

SEPT_1 = dt.date(2025, 9, 1)


def _switch_on(api, org, block="mentoring"):
    assert api.as_("operator").put(
        f"/api/v1/organizations/{org.id}/plugins/{block}"
    ).status_code in (
        200,
        201,
    )


def _run(app, today):
    with app.app_context(), database.connection_context():
        opened = scheduled_campaigns.open_due(app.extensions["metodnet.registry"], today)
        return [(c.form.code, c.scope_id, c.opens_on, c.deadline) for c in opened]


def _rows():
    with database.connection_context():
        return (
            Campaign.select().count(),
            ScheduleOpening.select().count(),
            AuditEntry.select().where(AuditEntry.action == "schedule_open").count(),
        )


def test_opens_on_the_due_day_only_where_the_block_is_on(app, api, world):
    _switch_on(api, world.muni_a)
    assert _run(app, dt.date(2025, 8, 31)) == []  # the day before: nothing is due
    opened = _run(app, SEPT_1)
    assert opened == [("mentoring_pairs", world.muni_a.id, SEPT_1, dt.date(2025, 10, 1))]
    with app.app_context(), database.connection_context():
        campaign = Campaign.get()
        assert campaign.period_kind == "school_year"
        assert (campaign.period_start, campaign.period_end) == (SEPT_1, dt.date(2026, 8, 31))
        assert campaign.title == "Реестр наставнических пар, 2025/2026 учебный год"
        # Schools of A only: B's schools are in no campaign, A's kindergarten is not asked.
        assert [m.id for m in audience.organizations(campaign)] == [world.a1.id]
    # The school coordinator of A sees it open; B's coordinator does not see it.
    mine = api.as_("coord_a1").get("/api/v1/campaigns", query_string={"mine": "true"}).json
    assert [c["form_code"] for c in mine["items"]] == ["mentoring_pairs"]
    assert api.as_("coord_b1").get("/api/v1/campaigns").json["total"] == 0
    # A later run in the same period, even after B switches the block on late: B gets its
    # own campaign, A none more.
    before = _rows()
    assert _run(app, dt.date(2025, 9, 20)) == []
    assert _rows() == before
    _switch_on(api, world.muni_b)
    assert [row[1] for row in _run(app, dt.date(2025, 9, 20))] == [world.muni_b.id]
    assert _run(app, dt.date(2025, 10, 2)) == []  # past the deadline: a missed period stays shut


def test_may_monitoring_has_the_declared_deadline_and_running_twice_opens_nothing(app, api, world):
    _switch_on(api, world.region)
    opened = _run(app, dt.date(2026, 5, 3))
    assert sorted(opened) == [
        ("mentoring_monitoring", world.muni_a.id, dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
        ("mentoring_monitoring", world.muni_b.id, dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
    ]
    counts = _rows()
    assert counts == (2, 2, 2)
    assert _run(app, dt.date(2026, 5, 3)) == []
    assert _rows() == counts


def test_racing_runs_open_each_period_once(app, api, world, monkeypatch):
    """Two workers at once, each believing nothing is open yet: the unique key decides."""
    _switch_on(api, world.region)
    monkeypatch.setattr(scheduled_campaigns, "_opened", lambda form_code: set())
    registry = app.extensions["metodnet.registry"]
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context(), database.connection_context():
                start.wait()
                results.append(len(scheduled_campaigns.open_due(registry, SEPT_1)))
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(results) in ([0, 2], [1, 1])  # together exactly the two municipalities
    assert _rows() == (2, 2, 2)


def test_a_municipality_moves_the_dates_and_a_region_switches_it_off(app, api, world):
    _switch_on(api, world.region)
    methodist = api.as_("methodist_a")
    url = f"/api/v1/schedules/mentoring_pairs/scopes/{world.muni_a.id}"
    changed = methodist.put(url, json={"enabled": True, "opens": "09-10", "deadline": "10-20"})
    assert changed.status_code == 200, changed.json
    assert changed.json["schedule"]["opens"] == "09-10"
    assert "deadline_days" not in changed.json["schedule"]
    assert changed.json["declared"]["opens"] == "09-01"
    # The operator switches the monitoring off for the region; B's methodist sees it off.
    off = api.as_("operator").put(
        f"/api/v1/schedules/mentoring_pairs/scopes/{world.muni_b.id}", json={"enabled": False}
    )
    assert off.status_code == 200 and off.json["enabled"] is False
    listed = api.as_("methodist_b").get(
        "/api/v1/schedules", query_string={"scope": world.muni_b.id}
    )
    assert {i["form_code"]: i["enabled"] for i in listed.json["items"]}["mentoring_pairs"] is False
    assert _run(app, SEPT_1) == []  # A opens later now, B not at all
    assert _run(app, dt.date(2025, 9, 10)) == [
        ("mentoring_pairs", world.muni_a.id, dt.date(2025, 9, 10), dt.date(2025, 10, 20))
    ]
    # The audit log shows the change and the opening.
    log = api.as_("operator").get("/api/v1/audit-log", query_string={"per_page": 50}).json
    entries = [(e["action"], e["object_type"]) for e in log["items"]]
    assert ("create", "schedule_override") in entries
    assert ("schedule_open", "campaign") in entries
    override = next(e for e in log["items"] if e["object_type"] == "schedule_override")
    assert override["after"]["form"] == "mentoring_pairs"
    # Back to the declared schedule.
    assert methodist.delete(url).status_code == 204
    assert methodist.get(url).json["schedule"]["opens"] == "09-01"


def test_bad_overrides_are_refused_naming_the_field(app, api, world):
    _switch_on(api, world.muni_a)
    methodist = api.as_("methodist_a")
    url = f"/api/v1/schedules/mentoring_monitoring/scopes/{world.muni_a.id}"
    early = methodist.put(url, json={"enabled": True, "opens": "05-10", "deadline": "05-01"})
    assert early.status_code == 422
    assert "раньше открытия" in early.json["error"]["fields"]["deadline"][0]
    bad_day = methodist.put(url, json={"enabled": True, "opens": "02-30"})
    assert bad_day.status_code == 422 and "ММ-ДД" in bad_day.json["error"]["fields"]["opens"][0]
    monthly = methodist.put(url, json={"enabled": True, "opens_day": 5})
    assert monthly.status_code == 422 and "opens_day" in monthly.json["error"]["fields"]
    assert methodist.put(url, json={"opens": "05-02"}).status_code == 422  # enabled missing
    assert methodist.get(url).json["override"] is None  # nothing was stored
    # Another municipality, the region, a school, a form without a schedule.
    assert (
        methodist.put(
            f"/api/v1/schedules/mentoring_monitoring/scopes/{world.muni_b.id}",
            json={"enabled": False},
        ).status_code
        == 404
    )
    assert (
        methodist.put(
            f"/api/v1/schedules/mentoring_monitoring/scopes/{world.region.id}",
            json={"enabled": False},
        ).status_code
        == 404
    )
    assert (
        api.as_("coord_a1")
        .put(
            f"/api/v1/schedules/mentoring_monitoring/scopes/{world.a1.id}", json={"enabled": False}
        )
        .status_code
        == 403
    )
    assert (
        methodist.put(
            f"/api/v1/schedules/young_teacher_plan/scopes/{world.muni_a.id}",
            json={"enabled": False},
        ).status_code
        == 404
    )
    with app.app_context(), database.connection_context():
        assert not AuditEntry.select().where(AuditEntry.object_type == "schedule_override").exists()


def test_the_schedule_is_not_part_of_the_stored_form(app):
    with app.app_context(), database.connection_context():
        pairs = store.latest("mentoring_pairs")
        assert pairs.version == 1 and "schedule" not in pairs.definition


def test_a_broken_schedule_stops_the_start(make_app):
    class Broken:
        from core.hookspecs import hookimpl

        @staticmethod
        @hookimpl
        def plugin_info():
            return {"name": "broken", "title": "Сломанный", "version": "1"}

        @staticmethod
        @hookimpl
        def register_forms():
            return [
                {
                    "code": "broken_form",
                    "title": "Форма",
                    "sections": [
                        {"title": "С", "fields": [{"name": "a", "type": "text", "label": "А"}]}
                    ],
                    "schedule": {"every": "week", "period": "month", "deadline_days": 3},
                }
            ]

    with pytest.raises(PluginError, match="schedule"):
        make_app(plugins=[Broken], migrate=False)


def test_cli_schedules_run(fresh_database_url, make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    app = make_app(database_url=fresh_database_url, migrate=False)
    with app.app_context(), database.connection_context():
        world = World()
    _switch_on(Api(app.test_client(), world.tokens), world.muni_b)
    first = runner.invoke(main, ["schedules", "run", "--today", "2026-05-01"])
    assert first.exit_code == 0, first.output
    assert "opened «Мониторинг реализации программы наставничества, 2026 год»" in first.output
    assert "Муниципалитет Б: 01.05.2026 – 31.05.2026" in first.output
    assert first.output.strip().endswith("1 campaign(s) opened")
    again = runner.invoke(main, ["schedules", "run", "--today", "2026-05-02"])
    assert again.output.strip() == "0 campaign(s) opened"
    assert runner.invoke(main, ["schedules", "run", "--today", "May 1"]).exit_code == 2


def test_the_worker_task_opens_what_is_due_today(app, api, world):
    """The hourly task (huey's immediate mode here), on the real today."""
    from forms import tasks

    _switch_on(api, world.muni_a)
    today = dt.date.today()
    opening = today if (today.month, today.day) != (2, 29) else today - dt.timedelta(days=1)
    url = f"/api/v1/schedules/mentoring_pairs/scopes/{world.muni_a.id}"
    moved = {"enabled": True, "opens": f"{opening:%m-%d}", "deadline_days": 5}
    assert api.as_("methodist_a").put(url, json=moved).status_code == 200
    with app.app_context():
        tasks.open_scheduled_campaigns()
        assert _rows() == (1, 1, 1)
        tasks.open_scheduled_campaigns()  # the next hour: nothing more
        assert _rows() == (1, 1, 1)
    with app.app_context(), database.connection_context():
        campaign = Campaign.get()
        assert (campaign.opens_on, campaign.deadline) == (opening, opening + dt.timedelta(days=5))
