"""Support matching: mentors from the methodical active and courses, ranked for a teacher's
deficits on a fixture whose answer is worked out by hand; acceptance reaches mentoring
through the core's proposal hook only where mentoring is on."""

import pytest

from core.db import database
from plugins.diagnostics.models import Route, Step
from plugins.mentoring.models import MentorPair
from tests.diagnostics_fixtures import BASE, YEAR, deficit, person, result

FORMATIVE = "Формирующее оценивание"
LITERACY = "Формирование функциональной грамотности обучающихся"
DIGITAL = "Организация дистанционного и смешанного обучения"
OLYMPIAD = "Решение олимпиадных и нестандартных задач по предмету"


def strong(api, staff, area, score, confirm=True):
    result(api, "operator", staff.id, area=area, score=score)
    listing = api.as_("operator").get(
        f"{BASE}/organizations/{staff.organization_id}/active", query_string={"status": "proposed"}
    )
    member = next(
        m for m in listing.json["items"] if m["staff_id"] == staff.id and m["area"] == area
    )
    if confirm:
        decided = api.as_("operator").post(
            f"{BASE}/active/{member['id']}/decision", json={"decision": "confirm"}
        )
        assert decided.status_code == 200


def busy(mentor, steps, world):
    """``steps`` open route steps supported by ``mentor`` (their current load)."""
    with database.connection_context():
        for n in range(steps):
            mentee = person(world.b2, f"Подопечный {mentor.full_name} {n}")
            route = Route.create(staff=mentee, deficits=[])
            Step.create(route=route, kind="mentoring", title="Наставничество", supporter=mentor)


@pytest.fixture
def matching(api, world, diag):
    """Teacher T (school A1, municipality A, not in a hub) with two methodical deficits and a
    digital one.  The confirmed active (name: where, strengths, load):

    Борисова: A2 (same municipality), methodical 88 + digital 92, load 0
    Васильев: B1 (municipality B in hub H: only the same region), methodical 95 + digital 95,
              load 1
    Зайцева: A1 (same school), methodical 95, load 0
    Алексеева: A1, methodical 90, load 0
    Григорьева: A1, methodical 99, load 1
    Дмитриев: A2, digital 90, load 3 = the cap → left out, listed as at the cap
    Егорова: A1, subject 97 → not a deficit area of T
    Жукова: A1, methodical 93, proposed but not confirmed → not in the active

    By hand: two areas beat one (Борисова, Васильев first; Борисова is nearer); among the
    rest, all in T's school: load 0 before load 1, then the higher score (Зайцева 95 before
    Алексеева 90); Григорьева last.
    """
    teacher = person(world.a1, "Тестова Татьяна")
    result(api, "operator", teacher.id, area="methodical", score=30,
           deficits=[deficit(diag, FORMATIVE), deficit(diag, LITERACY)])  # fmt: skip
    result(api, "operator", teacher.id, area="digital", score=45,
           deficits=[deficit(diag, DIGITAL)])  # fmt: skip
    people = {}
    for name, org, strengths, load in [
        ("Борисова", world.a2, [("methodical", 88), ("digital", 92)], 0),
        ("Васильев", world.b1, [("methodical", 95), ("digital", 95)], 1),
        ("Зайцева", world.a1, [("methodical", 95)], 0),
        ("Алексеева", world.a1, [("methodical", 90)], 0),
        ("Григорьева", world.a1, [("methodical", 99)], 1),
        ("Дмитриев", world.a2, [("digital", 90)], 3),
        ("Егорова", world.a1, [("subject", 97)], 0),
    ]:
        people[name] = person(org, name)
        for area, score in strengths:
            strong(api, people[name], area, score)
        busy(people[name], load, world)
    people["Жукова"] = person(world.a1, "Жукова")
    strong(api, people["Жукова"], "methodical", 93, confirm=False)

    courses = {}
    for title, federal, hours, topics, active in [
        ("Функциональная грамотность и оценивание", True, 72, [FORMATIVE, LITERACY], True),
        ("Смешанное обучение и оценивание", False, 36, [FORMATIVE, DIGITAL], True),
        ("Дистанционное обучение", True, 16, [DIGITAL], True),
        ("Олимпиадные задачи", True, 24, [OLYMPIAD], True),
        ("Оценивание (архив)", True, 8, [FORMATIVE], False),
    ]:
        response = api.as_("operator").post(
            f"{BASE}/regions/{world.region.id}/courses",
            json={"title": title, "provider": "ЦНППМ", "hours": hours, "federal_register": federal,
                  "deficits": [deficit(diag, t) for t in topics], "active": active},
        )  # fmt: skip
        courses[title] = response.json["id"]
    return teacher, people, courses


def test_candidates_are_ranked_and_explained(api, world, matching):
    teacher, people, _ = matching
    offer = api.as_("methodist_a").get(f"{BASE}/staff/{teacher.id}/support")
    assert offer.status_code == 200, offer.json
    offer = offer.json
    assert [d["title"] for d in offer["deficits"]] == [FORMATIVE, LITERACY, DIGITAL]
    assert [m["full_name"] for m in offer["mentors"]] == [
        "Борисова",
        "Васильев",
        "Зайцева",
        "Алексеева",
        "Григорьева",
    ]
    assert [m["rank"] for m in offer["mentors"]] == [1, 2, 3, 4, 5]
    first = offer["mentors"][0]
    assert first["nearness"] == "municipality" and first["areas"] == ["methodical", "digital"]
    assert first["reasons"] == [
        "Сильная сторона: методические компетенции (высокий уровень, 88 %)",
        "Сильная сторона: цифровые компетенции (высокий уровень, 92 %)",
        "Тот же муниципалитет",
        "Нагрузка: 0 из 3 сопровождаемых шагов",
    ]
    assert offer["mentors"][1]["nearness"] == "region" and offer["mentors"][1]["load"] == 1
    assert [(m["full_name"], m["load"]) for m in offer["at_cap"]] == [("Дмитриев", 3)]
    assert [c["title"] for c in offer["courses"]] == [
        "Функциональная грамотность и оценивание",
        "Смешанное обучение и оценивание",
        "Дистанционное обучение",
    ]
    assert offer["courses"][1]["reasons"][1] == "Не из федерального реестра ДПП"
    # Who may ask: the school and the municipality; not an expert, not the neighbour.
    assert api.as_("coord_a1").get(f"{BASE}/staff/{teacher.id}/support").status_code == 200
    assert api.as_("expert_a").get(f"{BASE}/staff/{teacher.id}/support").status_code == 403
    assert api.as_("methodist_b").get(f"{BASE}/staff/{teacher.id}/support").status_code == 404


def test_a_raised_cap_brings_a_busy_member_back(api, world, matching):
    teacher, _, _ = matching
    api.as_("operator").put(
        f"/api/v1/organizations/{world.region.id}/settings/diagnostics",
        json={"thresholds": {}, "load_cap": 4},
    )
    offer = api.as_("methodist_a").get(f"{BASE}/staff/{teacher.id}/support").json
    assert offer["at_cap"] == []
    assert [m["full_name"] for m in offer["mentors"]][-1] == "Дмитриев"  # one area, A2, load 3


def test_accepting_a_mentor_creates_a_step_and_drafts_a_pair(api, world, matching):
    teacher, people, courses = matching
    assert api.as_("methodist_a").put(
        f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring"
    ).status_code == 200  # fmt: skip
    url = f"{BASE}/staff/{teacher.id}/support"
    choice = {"kind": "mentor", "staff_id": people["Борисова"].id}
    assert api.as_("coord_a1").post(url, json=choice).status_code == 403
    assert api.as_("methodist_b").post(url, json=choice).status_code == 404
    at_cap = api.as_("methodist_a").post(url, json={"kind": "mentor",
                                                    "staff_id": people["Дмитриев"].id})  # fmt: skip
    assert at_cap.status_code == 422 and "staff_id" in at_cap.json["error"]["fields"]
    missing = api.as_("methodist_a").post(url, json={"kind": "course"})
    assert missing.status_code == 422 and "course_id" in missing.json["error"]["fields"]
    with database.connection_context():
        assert Route.select().where(Route.staff == teacher.id).count() == 0
        assert MentorPair.select().count() == 0

    step = api.as_("methodist_a").post(url, json={**choice, "planned_start": f"{YEAR}-09-01"})
    assert step.status_code == 201, step.json
    assert (step.json["kind"], step.json["supporter"]) == ("mentoring", "Борисова")
    assert len(step.json["deficits"]) == 3
    pairs = api.as_("coord_a1").get(f"/api/v1/mentoring/organizations/{world.a1.id}/pairs").json
    assert [(p["mentor"], p["mentee"], p["status"]) for p in pairs] == [
        ("Борисова", "Тестова Татьяна", "предложена")
    ]
    # The route was built from the teacher's deficits, with the step on it, exactly once.
    routes = api.as_("methodist_a").get(f"{BASE}/staff/{teacher.id}/routes").json
    assert len(routes) == 1 and [s["kind"] for s in routes[0]["steps"]] == ["mentoring"]
    # The mentor's load grew.
    offer = api.as_("methodist_a").get(url).json
    assert {m["full_name"]: m["load"] for m in offer["mentors"]}["Борисова"] == 1

    course = api.as_("methodist_a").post(
        url, json={"kind": "course", "course_id": courses["Дистанционное обучение"]}
    )
    assert course.status_code == 201 and course.json["deficits"] == [deficit_id(api, world)]
    unrelated = api.as_("methodist_a").post(
        url, json={"kind": "course", "course_id": courses["Олимпиадные задачи"]}
    )
    assert unrelated.status_code == 422 and "course_id" in unrelated.json["error"]["fields"]


def deficit_id(api, world):
    catalogue = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/deficits").json
    return next(d["id"] for d in catalogue if d["title"] == DIGITAL)


def test_without_mentoring_the_step_is_created_and_no_pair(api, world, matching):
    teacher, people, _ = matching
    step = api.as_("methodist_a").post(
        f"{BASE}/staff/{teacher.id}/support",
        json={"kind": "mentor", "staff_id": people["Зайцева"].id},
    )
    assert step.status_code == 201
    with database.connection_context():
        assert MentorPair.select().count() == 0
        assert Step.select().where(Step.supporter == people["Зайцева"].id).count() == 1


def test_a_mentor_accepted_through_the_core_joins_the_route(api, world, matching):
    teacher, people, _ = matching
    route = api.as_("methodist_a").post(f"{BASE}/staff/{teacher.id}/routes", json={}).json
    proposal = {"supporter_id": people["Алексеева"].id, "kind": "mentoring", "reason": "РМО"}
    core_url = f"/api/v1/staff/{teacher.id}/support-proposals"
    assert api.as_("methodist_a").post(core_url, json=proposal).status_code == 201
    assert api.as_("methodist_a").post(core_url, json=proposal).status_code == 201  # again
    steps = api.as_("methodist_a").get(f"{BASE}/routes/{route['id']}").json["steps"]
    assert [(s["kind"], s["supporter"]) for s in steps] == [("mentoring", "Алексеева")]
