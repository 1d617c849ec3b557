"""Diagnostics: the route lifecycle (ИОМ), re-diagnostics, the methodical active."""

from core.db import database
from plugins.diagnostics.models import ActiveMember, Route, Step
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result

FORMATIVE = "Формирующее оценивание"
LITERACY = "Формирование функциональной грамотности обучающихся"
DIGITAL = "Организация дистанционного и смешанного обучения"


def course(api, world, diag, **extra):
    body = {
        "title": "Формирующее оценивание на уроке",
        "provider": "АСОУ",
        "hours": 36,
        "federal_register": True,
        "deficits": [deficit(diag, FORMATIVE)],
        **extra,
    }
    response = api.as_("operator").post(f"{BASE}/regions/{world.region.id}/courses", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_route_lifecycle(api, world, diag):
    staff = world.staff_a1.id
    nothing = api.as_("methodist_a").post(f"{BASE}/staff/{staff}/routes", json={})
    assert nothing.status_code == 422 and "deficits" in nothing.json["error"]["fields"]
    result(api, "methodist_a", staff, score=35, date=f"{YEAR}-01-20",
           deficits=[deficit(diag, FORMATIVE), deficit(diag, LITERACY)])  # fmt: skip
    result(api, "methodist_a", staff, area="digital", score=55, date=f"{YEAR}-01-20",
           deficits=[deficit(diag, DIGITAL)])  # fmt: skip
    created = api.as_("coord_a1").post(f"{BASE}/staff/{staff}/routes", json={"note": "на год"})
    assert created.status_code == 201, created.json
    route = created.json
    assert route["deficit_titles"] == [FORMATIVE, LITERACY, DIGITAL]
    assert route["status"] == "active" and route["progress"] == {"steps": 0, "done": 0,
                                                                 "percent": 0.0}  # fmt: skip
    twice = api.as_("methodist_a").post(f"{BASE}/staff/{staff}/routes", json={})
    assert twice.status_code == 409 and twice.json["error"]["code"] == "route_exists"

    steps = f"{BASE}/routes/{route['id']}/steps"
    offered = course(api, world, diag)
    bad = [
        ({"kind": "course"}, "course_id"),
        ({"kind": "course", "course_id": 99999}, "course_id"),
        ({"kind": "self_education", "title": "Чтение", "deficits": [999]}, "deficits"),
        ({"kind": "self_education", "title": ""}, "title"),
        ({"kind": "event", "title": "Семинар", "supporter_id": world.staff_b1.id}, "supporter_id"),
        ({"kind": "event", "title": "Семинар", "planned_start": f"{YEAR}-05-01",
          "planned_end": f"{YEAR}-04-01"}, "planned_end"),
        ({"kind": "event", "title": "Семинар", "status": "done"}, "evidence"),
        ({"kind": "trip", "title": "?"}, "kind"),
    ]  # fmt: skip
    for body, field in bad:
        response = api.as_("methodist_a").post(steps, json=body)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["error"]["fields"], (body, response.json)
    with database.connection_context():
        assert Step.select().count() == 0

    first = api.as_("methodist_a").post(
        steps,
        json={"kind": "course", "course_id": offered["id"], "deficits": [deficit(diag, FORMATIVE)],
              "planned_start": f"{YEAR}-02-01", "planned_end": f"{YEAR}-03-01"},
    )  # fmt: skip
    assert first.status_code == 201 and first.json["title"] == "Формирующее оценивание на уроке"
    second = api.as_("teacher_a1").post(
        steps, json={"kind": "self_education", "title": "Курс по цифровым сервисам"}
    )
    assert second.status_code == 201

    # The teacher reports progress on their own route; evidence is required for "done".
    step_url = f"{BASE}/steps/{first.json['id']}"
    no_proof = api.as_("teacher_a1").patch(step_url, json={"status": "done"})
    assert no_proof.status_code == 422 and "evidence" in no_proof.json["error"]["fields"]
    done = api.as_("teacher_a1").patch(
        step_url,
        json={
            "status": "done",
            "evidence": "удостоверение № 123",
            "completed_on": f"{YEAR}-03-01",
        },  # fmt: skip
    )
    assert done.status_code == 200 and done.json["completed_on"] == f"{YEAR}-03-01"
    view = api.as_("methodist_a").get(f"{BASE}/routes/{route['id']}").json
    assert view["status"] == "active" and view["progress"]["percent"] == 50.0

    last = api.as_("coord_a1").patch(
        f"{BASE}/steps/{second.json['id']}", json={"status": "done", "evidence": "конспект"}
    )
    assert last.status_code == 200
    view = api.as_("methodist_a").get(f"{BASE}/routes/{route['id']}").json
    assert view["status"] == "completed" and view["completed_at"]
    assert view["progress"] == {"steps": 2, "done": 2, "percent": 100.0}
    # Re-diagnostics is due in both areas of the route until new results arrive.
    assert {r["area"]: r["due"] for r in view["rediagnostics"]} == {
        "methodical": True,
        "digital": True,
    }

    # Reopening a step makes the route active again; done again, completed again.
    api.as_("coord_a1").patch(f"{BASE}/steps/{second.json['id']}", json={"status": "in_progress"})
    assert api.as_("coord_a1").get(f"{BASE}/routes/{route['id']}").json["status"] == "active"
    api.as_("coord_a1").patch(
        f"{BASE}/steps/{second.json['id']}", json={"status": "done", "evidence": "конспект"}
    )
    completed = api.as_("coord_a1").get(f"{BASE}/routes/{route['id']}").json
    assert completed["status"] == "completed"

    # Re-diagnostics after completion: the new methodical result is compared with the old.
    with database.connection_context():
        finished = Route.get_by_id(route["id"]).completed_at.date()
    result(api, "methodist_a", staff, score=78, date=finished.isoformat())
    again = api.as_("methodist_a").get(f"{BASE}/routes/{route['id']}").json
    by_area = {r["area"]: r for r in again["rediagnostics"]}
    assert by_area["methodical"]["before"]["score"] == 35.0
    assert by_area["methodical"]["after"]["score"] == 78.0
    assert by_area["methodical"]["improved"] is True and by_area["methodical"]["due"] is False
    assert by_area["digital"]["after"] is None and by_area["digital"]["due"] is True

    # A completed route makes room for a new one; the municipality sees both with progress.
    listing = api.as_("methodist_a").get(f"{BASE}/organizations/{world.muni_a.id}/routes").json
    assert listing["total"] == 1
    listing = listing["items"]
    assert [(r["full_name"], r["status"], r["progress"]["percent"]) for r in listing] == [
        ("Петрова Анна Ивановна", "completed", 100.0)
    ]
    only = api.as_("methodist_a").get(
        f"{BASE}/organizations/{world.muni_a.id}/routes", query_string={"status": "active"}
    )
    assert only.json["items"] == [] and only.json["total"] == 0


def test_cancelled_routes_refuse_changes(api, world, diag):
    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=20, deficits=[deficit(diag, FORMATIVE)])
    route = api.as_("methodist_a").post(f"{BASE}/staff/{staff}/routes", json={}).json
    step = (
        api.as_("methodist_a")
        .post(f"{BASE}/routes/{route['id']}/steps", json={"kind": "event", "title": "Семинар РМО"})
        .json
    )
    assert api.as_("teacher_a1").patch(
        f"{BASE}/routes/{route['id']}", json={"status": "cancelled"}
    ).status_code == 403  # fmt: skip
    cancelled = api.as_("methodist_a").patch(
        f"{BASE}/routes/{route['id']}", json={"status": "cancelled"}
    )
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    refused = api.as_("teacher_a1").patch(
        f"{BASE}/steps/{step['id']}", json={"status": "done", "evidence": "x"}
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "route_cancelled"
    with database.connection_context():
        assert Step.get_by_id(step["id"]).status == "planned"
    # A cancelled route does not block a new one.
    assert api.as_("methodist_a").post(f"{BASE}/staff/{staff}/routes", json={}).status_code == 201


def test_the_methodical_active_is_proposed_and_decided(api, world, diag):
    strong = person(world.a1, "Сильная Вера Олеговна")
    result(api, "methodist_a", strong.id, area="digital", score=91)
    result(api, "methodist_a", strong.id, area="methodical", score=70)  # elevated: no proposal
    listing = api.as_("coord_a1").get(f"{BASE}/organizations/{world.a1.id}/active").json["items"]
    assert [(m["full_name"], m["area"], m["status"], m["score"]) for m in listing] == [
        ("Сильная Вера Олеговна", "digital", "proposed", 91.0)
    ]
    member = listing[0]["id"]
    url = f"{BASE}/active/{member}/decision"
    assert api.as_("coord_a1").post(url, json={"decision": "confirm"}).status_code == 403
    assert api.as_("methodist_b").post(url, json={"decision": "confirm"}).status_code == 404
    bad = api.as_("methodist_a").post(url, json={"decision": "maybe"})
    assert bad.status_code == 422 and "decision" in bad.json["error"]["fields"]
    confirmed = api.as_("methodist_a").post(url, json={"decision": "confirm"})
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    assert confirmed.json["load"] == 0 and confirmed.json["load_cap"] == 3
    twice = api.as_("methodist_a").post(url, json={"decision": "decline"})
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invalid_transition"
    out = api.as_("methodist_a").post(url, json={"decision": "withdraw", "reason": "переезд"})
    assert out.json["status"] == "withdrawn"
    # A declined proposal is proposed again only by a newer high result.
    other = person(world.a1, "Другая Ирина")
    result(api, "methodist_a", other.id, area="subject", score=95, date=f"{YEAR}-01-10")
    with database.connection_context():
        proposal = ActiveMember.get(ActiveMember.staff == other.id)
    api.as_("methodist_a").post(
        f"{BASE}/active/{proposal.id}/decision", json={"decision": "decline"}
    )
    result(api, "methodist_a", other.id, area="subject", score=96, date=f"{YEAR}-01-10",
           procedure="municipal")  # fmt: skip
    with database.connection_context():
        assert ActiveMember.get_by_id(proposal.id).status == "declined"
    next_year = f"{YEAR + 1}-01-10"
    result(api, "methodist_a", other.id, area="subject", score=97, date=next_year)
    with database.connection_context():
        assert ActiveMember.get_by_id(proposal.id).status == "proposed"


def test_racing_writers_get_409_and_nothing_doubles(api, world, diag, monkeypatch):
    """Two requests passing their checks at once: the database's unique indexes decide."""
    from plugins.diagnostics import results as result_logic
    from plugins.diagnostics import routes as route_logic
    from plugins.diagnostics.models import Result

    staff = world.staff_a1.id
    result(api, "methodist_a", staff, score=20, deficits=[deficit(diag, FORMATIVE)])
    assert api.as_("methodist_a").post(f"{BASE}/staff/{staff}/routes", json={}).status_code == 201
    # The other request saw no active route yet.
    monkeypatch.setattr(route_logic, "current_route", lambda staff_id: None)
    late = api.as_("coord_a1").post(f"{BASE}/staff/{staff}/routes", json={})
    assert late.status_code == 409 and late.json["error"]["code"] == "route_exists"
    # The other request saw no result with the same key yet.
    monkeypatch.setattr(result_logic.Result, "get_or_none", classmethod(lambda cls, *a: None))
    twin = result(api, "coord_a1", staff, score=25, deficits=[deficit(diag, FORMATIVE)])
    assert twin.status_code == 409 and "date" in twin.json["error"]["fields"]
    monkeypatch.undo()
    with database.connection_context():
        assert Route.select().where(Route.status == "active").count() == 1
        assert [float(r.score) for r in Result.select()] == [20.0]
