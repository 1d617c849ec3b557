"""The activity record: one core function blocks write through, kept in step with the
blocks' data (mentoring pairs, diagnostics courses and the methodical active)."""

import datetime as dt

import pytest

from core import activities
from core.db import database
from core.hookspecs import hookimpl
from core.models import Activity, StaffMember
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result
from tests.forms_fixtures import campaign_body


def _record(staff, source_id, **extra):
    values = {
        "block": "sample",
        "source": ("talk", source_id),
        "kind": "event",
        "role": "speaker",
        "level": "municipal",
        "title": "Доклад на августовском совещании",
        "date": dt.date(2024, 8, 28),
        **extra,
    }
    return activities.record(staff, **values)


def test_record_updates_in_place_and_withdraw_keeps_the_row(app, world):
    with app.app_context(), database.connection_context():
        first = _record(world.staff_a1, 7)
        again = _record(world.staff_a1, 7, title="Доклад (исправлено)", hours=2)
        assert again.id == first.id
        assert Activity.select().count() == 1
        row = Activity.get_by_id(first.id)
        assert (row.title, float(row.hours), row.cancelled) == ("Доклад (исправлено)", 2.0, False)
        # One source may credit several people (a pair: mentor and mentee), each once.
        _record(world.staff_b1, 7)
        assert Activity.select().count() == 2
        assert activities.withdraw("sample", ("talk", 7), staff=world.staff_b1) == 1
        assert activities.withdraw("sample", ("talk", 7)) == 1  # the other one, once
        assert activities.withdraw("sample", ("talk", 7)) == 0
        assert [r.cancelled for r in Activity.select().order_by(Activity.id)] == [True, True]
        # Recorded again (an application reinstated): the same row comes back.
        back = _record(world.staff_a1, 7)
        assert back.id == first.id and not Activity.get_by_id(first.id).cancelled
        for bad in ({"kind": "knitting"}, {"role": "boss"}, {"level": "galactic"}):
            with pytest.raises(activities.ActivityRefused):
                _record(world.staff_a1, 8, **bad)
        assert Activity.select().count() == 2


class ContestBlock:
    """An inline block adding an activity kind through its vocabulary."""

    @hookimpl
    def plugin_info(self):
        return {"name": "contests", "title": "Конкурсы", "version": "1.0"}

    @hookimpl
    def register_vocabulary(self):
        return {"activity_kinds": [{"code": "olympiad", "label": "Олимпиада для учителей"}]}


def test_a_block_adds_its_own_activity_kinds(make_app):
    from tests.conftest import World

    app = make_app(plugins=[ContestBlock()])
    with app.app_context(), database.connection_context():
        world = World()
        row = _record(world.staff_a1, 1, block="contests", kind="olympiad", result="winner")
        assert activities.labelled(row)["kind"] == {
            "value": "olympiad",
            "label": "Олимпиада для учителей",
        }
        assert activities.labelled(row)["result"] == {"value": "winner", "label": "Победитель"}


# --- mentoring -----------------------------------------------------------------------


@pytest.fixture
def mentoring(api, world):
    response = api.as_("methodist_a").put(
        f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring"
    )
    assert response.status_code == 200
    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья Сергеевич",
            position="учитель",
            birth_year=YEAR - 24,
            teaching_since=YEAR - 1,
        )
    body = campaign_body(
        world.region.id,
        form_code="mentoring_pairs",
        title="Реестр пар",
        period_kind="school_year",
        period=f"{YEAR}/{YEAR + 1}",
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    return {"young": young, "url": f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"}


def _pairs(world, young, status):
    row = {
        "mentor": world.staff_a1.id,
        "mentee": young.id,
        "form": "учитель – молодой учитель",
        "subject": "математика",
        "start": f"{YEAR}-09-01",
        "status": status,
    }
    return {"pairs": [row]}


def _accept(api, url, data, version=None):
    body = {"data": data} if version is None else {"data": data, "version": version}
    saved = api.as_("coord_a1").put(url, json=body)
    assert saved.status_code in (200, 201), saved.json
    submitted = api.as_("coord_a1").post(url + "/submit", json={"confirm_warnings": True})
    assert submitted.status_code == 200, submitted.json
    accepted = api.as_("methodist_a").post(url + "/accept")
    assert accepted.status_code == 200, accepted.json
    return accepted.json


def test_an_accepted_pair_is_an_activity_of_both_and_a_cancelled_one_is_kept(api, world, mentoring):
    young, url = mentoring["young"], mentoring["url"]
    accepted = _accept(api, url, _pairs(world, young, "действует"))
    with database.connection_context():
        rows = list(Activity.select().order_by(Activity.role))
    assert [(r.staff_id, r.role, r.kind, r.level, r.block, r.cancelled) for r in rows] == [
        (young.id, "mentee", "mentoring", "school", "mentoring", False),
        (world.staff_a1.id, "mentor", "mentoring", "school", "mentoring", False),
    ]
    assert rows[0].date == dt.date(YEAR, 9, 1) and rows[0].result == "in_progress"
    profile = api.as_("methodist_a").get(f"/api/v1/staff/{young.id}/profile").json
    [activity] = profile["activities"]
    assert activity["role"] == {"value": "mentee", "label": "Наставляемый"}
    assert activity["kind"] == {"value": "mentoring", "label": "Наставничество"}
    section = {s["code"]: s for s in profile["sections"]}["mentoring_pairs"]
    assert section["items"][0]["label"] == "Наставник"
    assert section["items"][0]["value"].startswith("Петрова Анна Ивановна (")

    # The next register drops the pair (a new mentor took over): withdrawn, the new one in.
    with database.connection_context():
        other = StaffMember.create(organization=world.a1, full_name="Орлов Пётр Ильич",
                                   position="учитель", birth_year=1960)  # fmt: skip
    reopened = api.as_("methodist_a").post(url + "/reopen", json={"reason": "смена наставника"})
    assert reopened.status_code == 200, reopened.json
    data = _pairs(world, young, "действует")
    data["pairs"][0]["mentor"] = other.id
    _accept(api, url, data, version=reopened.json["version"])
    with database.connection_context():
        rows = Activity.select().order_by(Activity.id)
        assert [(r.staff_id, r.role, r.cancelled) for r in rows] == [
            (world.staff_a1.id, "mentor", True),
            (young.id, "mentee", True),
            (other.id, "mentor", False),
            (young.id, "mentee", False),
        ]
    # Then the pair is terminated: cancelled, kept.
    reopened = api.as_("methodist_a").post(url + "/reopen", json={"reason": "пара распалась"})
    data["pairs"][0]["status"] = "прекращена"
    _accept(api, url, data, version=reopened.json["version"])
    with database.connection_context():
        assert [r.cancelled for r in Activity.select().order_by(Activity.id)] == [True] * 4
    assert accepted["state"] == "accepted"
    # Shown, flagged, never silently gone.
    shown = api.as_("teacher_a1").get(f"/api/v1/staff/{world.staff_a1.id}/profile").json
    assert [(a["role"]["value"], a["cancelled"]) for a in shown["activities"]] == [("mentor", True)]


# --- diagnostics ---------------------------------------------------------------------

FORMATIVE = "Формирующее оценивание"


def test_a_done_course_step_is_an_activity_with_the_course_hours(api, world, diag):
    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=35, deficits=[deficit(diag, FORMATIVE)])
    course = api.as_("operator").post(
        f"{BASE}/regions/{world.region.id}/courses",
        json={
            "title": "Формирующее оценивание на уроке",
            "provider": "АСОУ",
            "hours": 36,
            "federal_register": True,
            "deficits": [deficit(diag, FORMATIVE)],
        },
    )
    assert course.status_code == 201, course.json
    route = api.as_("coord_a1").post(f"{BASE}/staff/{staff}/routes", json={}).json
    step = api.as_("methodist_a").post(
        f"{BASE}/routes/{route['id']}/steps",
        json={"kind": "course", "course_id": course.json["id"]},
    )
    assert step.status_code == 201, step.json
    with database.connection_context():
        assert Activity.select().count() == 0  # planned is not done
    step_url = f"{BASE}/steps/{step.json['id']}"
    done = api.as_("teacher_a1").patch(
        step_url,
        json={"status": "done", "evidence": "удостоверение № 123", "completed_on": f"{YEAR}-03-01"},
    )
    assert done.status_code == 200, done.json
    with database.connection_context():
        row = Activity.get()
    assert (row.staff_id, row.kind, row.role, row.level, float(row.hours)) == (
        staff,
        "course",
        "participant",
        "federal",
        36.0,
    )
    assert (row.date, row.evidence, row.result) == (
        dt.date(YEAR, 3, 1),
        "удостоверение № 123",
        "completed",
    )
    # Reopened: the record is withdrawn; done again: the same record is back.
    api.as_("teacher_a1").patch(step_url, json={"status": "in_progress"})
    with database.connection_context():
        assert Activity.get_by_id(row.id).cancelled is True
    api.as_("teacher_a1").patch(step_url, json={"status": "done", "evidence": "удостоверение"})
    with database.connection_context():
        assert Activity.select().count() == 1 and not Activity.get_by_id(row.id).cancelled
    # Erasure clears the evidence (it may name the person) and keeps the record.
    erased = api.as_("operator").post(f"/api/v1/staff/{staff}/erase", json={})
    assert "core: подтверждения в записях активностей" in erased.json["cleared_by_blocks"]
    with database.connection_context():
        kept = Activity.get_by_id(row.id)
    assert kept.evidence == "" and float(kept.hours) == 36.0


def test_a_confirmed_member_of_the_active_is_an_activity(api, world, diag):
    strong = person(world.a1, "Сильная Вера Олеговна")
    result(api, "methodist_a", strong.id, area="digital", score=91)
    [member] = (
        api.as_("methodist_a").get(f"{BASE}/organizations/{world.a1.id}/active").json["items"]
    )
    url = f"{BASE}/active/{member['id']}/decision"
    assert api.as_("methodist_a").post(url, json={"decision": "confirm"}).status_code == 200
    with database.connection_context():
        row = Activity.get(Activity.staff == strong.id)
    assert (row.kind, row.role, row.level, row.cancelled) == (
        "methodical_active",
        "member",
        "municipal",
        False,
    )
    assert row.title == "Методический актив: цифровые компетенции"
    api.as_("methodist_a").post(url, json={"decision": "withdraw", "reason": "переезд"})
    with database.connection_context():
        assert Activity.get_by_id(row.id).cancelled is True


def test_the_sample_block_records_a_talk_through_the_core(make_app):
    from tests import sample_plugin
    from tests.conftest import Api, World

    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
    url = f"/api/v1/sample/organizations/{world.a1.id}/talks"
    talk = {"staff_id": world.staff_a1.id, "title": "Открытый урок", "date": "2024-10-03"}
    assert api.as_("methodist_a").post(url, json=talk).status_code == 201
    stranger = api.as_("methodist_a").post(url, json={**talk, "staff_id": world.staff_b1.id})
    assert stranger.status_code == 422 and "staff_id" in stranger.json["error"]["fields"]
    profile = api.as_("teacher_a1").get(f"/api/v1/staff/{world.staff_a1.id}/profile").json
    assert [
        (a["block"], a["role"]["label"], a["title"], a["date"]) for a in profile["activities"]
    ] == [("sample", "Выступающий", "Открытый урок", "2024-10-03")]
    sections = {s["code"]: s for s in profile["sections"]}
    assert sections["sample_notes"]["items"] == [
        {"label": "Заметок организации", "value": 1, "date": None, "href": None}
    ]
