"""The mentoring block through the HTTP API: rules, register, mentor schools, indicators,
exports."""

import datetime as dt
import io

import openpyxl
import pytest

from core.db import database
from core.models import OrganizationStatus, StaffMember
from plugins.mentoring.models import MentorPair
from tests.forms_fixtures import campaign_body

YEAR = dt.date.today().year


@pytest.fixture
def block(api, world):
    """Mentoring on in municipality A only; a pairs-register campaign for the region."""
    assert (
        api.as_("methodist_a")
        .put(f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring")
        .status_code
        == 200
    )
    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья Сергеевич",
            position="учитель",
            birth_year=YEAR - 24,
            teaching_since=YEAR - 1,
            subjects=["физика"],
        )
        second = StaffMember.create(
            organization=world.a1,
            full_name="Белова Ирина Олеговна",
            position="учитель",
            birth_year=YEAR - 25,
            teaching_since=YEAR,
            subjects=["химия"],
        )
        veteran = StaffMember.create(
            organization=world.a1,
            full_name="Орлов Пётр Ильич",
            position="учитель",
            birth_year=1960,
            teaching_since=1983,
        )
    campaign = (
        api.as_("operator")
        .post(
            "/api/v1/campaigns",
            json=campaign_body(
                world.region.id,
                form_code="mentoring_pairs",
                title="Реестр пар, сентябрь",
                period_kind="school_year",
                period=f"{YEAR}/{YEAR + 1}",
            ),
        )
        .json
    )
    assert "id" in campaign, campaign
    return {"campaign": campaign, "young": young, "second": second, "veteran": veteran}


def pair(mentor, mentee, **extra):
    return {
        "mentor": mentor.id,
        "mentee": mentee.id,
        "form": "учитель – молодой учитель",
        "start": f"{YEAR}-09-01",
        "status": "действует",
        **extra,
    }


def url(block, org, action=""):
    return f"/api/v1/campaigns/{block['campaign']['id']}/submissions/{org.id}{action}"


def test_disabled_in_the_neighbour(api, world, block):
    assert (
        api.as_("coord_a1").get("/api/v1/campaigns", query_string={"mine": "true"}).json["total"]
        == 1
    )
    assert (
        api.as_("coord_b1").get("/api/v1/campaigns", query_string={"mine": "true"}).json["total"]
        == 0
    )
    response = api.as_("coord_b1").put(url(block, world.b1), json={"data": {"pairs": []}})
    assert response.status_code == 404
    assert (
        api.as_("methodist_b")
        .get(f"/api/v1/mentoring/organizations/{world.muni_b.id}/pairs")
        .status_code
        == 404
    )
    exports_b = (
        api.as_("methodist_b")
        .get("/api/v1/exports", query_string={"scope": world.muni_b.id})
        .json["items"]
    )
    assert "mentoring_pairs_register" not in [e["code"] for e in exports_b]
    exports_a = (
        api.as_("methodist_a")
        .get("/api/v1/exports", query_string={"scope": world.muni_a.id})
        .json["items"]
    )
    assert "mentoring_pairs_register" in [e["code"] for e in exports_a]


def test_rules_refuse_clearly_and_store_nothing(api, world, block):
    from forms.models import Submission

    staff_b = world.staff_b1
    other_org = api.as_("coord_a1").put(
        url(block, world.a1), json={"data": {"pairs": [pair(staff_b, block["young"])]}}
    )
    assert other_org.status_code == 422
    assert other_org.json["error"]["fields"] == {
        "pairs.0.mentor": ["Наставник из другой организации — только для формы «школа – школа»."]
    }
    same = api.as_("coord_a1").put(
        url(block, world.a1), json={"data": {"pairs": [pair(block["young"], block["young"])]}}
    )
    assert same.status_code == 201  # a draft; the mentor ≠ mentee rule applies on submit
    refused = api.as_("coord_a1").post(url(block, world.a1, "/submit"), json={})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["pairs.0.mentor"] == [
        "Наставник и наставляемый — разные люди."
    ]
    twice = api.as_("coord_a1").put(
        url(block, world.a1),
        json={
            "version": 1,
            "data": {
                "pairs": [
                    pair(world.staff_a1, block["young"], subject="физика"),
                    pair(block["veteran"], block["young"], subject="Физика"),
                ]
            },
        },
    )
    assert twice.status_code == 422
    assert "pairs.1.mentee" in twice.json["error"]["fields"]
    with database.connection_context():
        StaffMember.update(active=False).where(StaffMember.id == block["second"].id).execute()
    departed = api.as_("coord_a1").put(
        url(block, world.a1),
        json={"version": 1, "data": {"pairs": [pair(world.staff_a1, block["second"])]}},
    )
    assert departed.status_code == 422
    assert "pairs.0.mentee" in departed.json["error"]["fields"]
    with database.connection_context():
        assert Submission.get().data["pairs"][0]["mentor"] == block["young"].id  # unchanged


def test_warnings_need_confirmation(api, world, block):
    data = {"pairs": [pair(world.staff_a1, block["veteran"])]}
    assert api.as_("coord_a1").put(url(block, world.a1), json={"data": data}).status_code == 201
    warned = api.as_("coord_a1").post(url(block, world.a1, "/submit"), json={})
    assert warned.status_code == 409
    assert warned.json["error"]["code"] == "confirmation_required"
    assert "pairs.0.mentee" in warned.json["error"]["fields"]
    ok = api.as_("coord_a1").post(url(block, world.a1, "/submit"), json={"confirm_warnings": True})
    assert ok.status_code == 200


def test_register_indicator_and_exports(api, world, block):
    # Young teachers in their first three years in A: Новиков and Белова (Петрова is 2022+).
    data = {"pairs": [pair(world.staff_a1, block["young"], subject="физика")]}
    api.as_("coord_a1").put(url(block, world.a1), json={"data": data})
    api.as_("coord_a1").post(url(block, world.a1, "/submit"), json={"confirm_warnings": True})
    with database.connection_context():
        assert MentorPair.select().count() == 0  # not yet accepted
    assert api.as_("methodist_a").post(url(block, world.a1, "/accept")).status_code == 200
    pairs = (
        api.as_("methodist_a").get(f"/api/v1/mentoring/organizations/{world.muni_a.id}/pairs").json
    )
    assert [(p["mentor"], p["mentee"]) for p in pairs] == [
        ("Петрова Анна Ивановна", "Новиков Илья Сергеевич")
    ]
    # Hand computation for A in the campaign's year: young and in the first three years are
    # Новиков (24, 1 year) and Белова (25, 0 years); Петрова (born 1998) started in 2022, so
    # she counts only while YEAR - 2022 < 3.  Covered: Новиков.
    young_total = 2 + (1 if YEAR - 2022 < 3 and YEAR - 1998 < 35 else 0)
    report = (
        api.as_("methodist_a")
        .get("/api/v1/indicators", query_string={"scope": world.muni_a.id, "period": str(YEAR)})
        .json
    )
    values = {v["code"]: v for v in report["rows"][0]["values"]}
    coverage = values["mentoring_coverage"]
    assert (coverage["numerator"], coverage["denominator"]) == (1, young_total)
    assert coverage["value"] == round(100 / young_total, 1)
    assert coverage["target"] == 70 and coverage["status"] == "not_met"
    assert values["mentees_per_mentor"]["value"] == 1.0
    assert values["mentees_per_mentor"]["status"] == "met"
    # The region raises the year's target as Tomsk does.
    assert (
        api.as_("operator")
        .put(
            f"/api/v1/regions/{world.region.id}/indicator-targets/mentoring_coverage",
            json={"targets": {str(YEAR): 100}},
        )
        .status_code
        == 200
    )
    report = (
        api.as_("operator")
        .get("/api/v1/indicators", query_string={"scope": world.muni_a.id, "period": str(YEAR)})
        .json
    )
    assert {v["code"]: v for v in report["rows"][0]["values"]}["mentoring_coverage"][
        "target"
    ] == 100
    # Exports read back.
    response = api.as_("methodist_a").get(
        "/api/v1/exports/young_without_mentor",
        query_string={"scope": world.muni_a.id, "period": str(YEAR)},
    )
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    names = [r[0] for r in book["Без наставника"].iter_rows(min_row=7, values_only=True)]
    assert "Белова Ирина Олеговна" in names and "Новиков Илья Сергеевич" not in names
    register = api.as_("operator").get(
        "/api/v1/exports/mentoring_pairs_register", query_string={"scope": world.region.id}
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(register.data))["Пары"].iter_rows(
            min_row=7, values_only=True
        )
    )
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("Петрова Анна Ивановна", "Новиков Илья Сергеевич", "учитель – молодой учитель")
    ]
    assert isinstance(rows[0][5], dt.datetime)  # a real date


def test_mentor_schools(api, world, block):
    with database.connection_context():
        mentor_school = world.a1
        from core import organizations as tree

        weak = tree.create(kind="school", name="Школа А3", code="a3", parent=world.muni_a)
    base = f"/api/v1/mentoring/organizations/{world.muni_a.id}/mentor-schools"
    body = {
        "mentor_school_id": mentor_school.id,
        "supported_school_id": weak.id,
        "start": f"{YEAR}-09-01",
        "goal": "Повышение результатов ОГЭ",
    }
    refused = api.as_("methodist_a").post(base, json=body)
    assert refused.status_code == 422
    assert "supported_school_id" in refused.json["error"]["fields"]
    with database.connection_context():
        OrganizationStatus.create(
            organization=weak, status="low_results", start_date=dt.date(YEAR - 1, 1, 1)
        )
    created = api.as_("methodist_a").post(base, json=body)
    assert created.status_code == 201
    assert created.json["supported_school"] == "Школа А3"
    assert api.as_("methodist_a").post(base, json=body).status_code == 409
    for school in (mentor_school, weak):  # shown on both organisations
        links = (
            api.as_("methodist_a")
            .get(f"/api/v1/mentoring/organizations/{school.id}/mentor-schools")
            .json
        )
        assert [link["id"] for link in links] == [created.json["id"]]
    assert api.as_("coord_a1").post(base, json=body).status_code == 404  # A is outside its scope


def test_laboratory_participants_name_a_listed_event(api, world, block):
    lab = (
        api.as_("operator")
        .post(
            "/api/v1/campaigns",
            json=campaign_body(
                world.region.id, form_code="young_teachers_lab", audience_kinds=["municipality"]
            ),
        )
        .json
    )
    target = f"/api/v1/campaigns/{lab['id']}/submissions/{world.muni_a.id}"
    data = {
        "events": [
            {"title": "Семинар «Первый урок»", "date": f"{YEAR}-10-01", "format": "семинар"}
        ],
        "participants": [{"event": "Другой семинар", "staff": block["young"].id}],
    }
    response = api.as_("methodist_a").put(target, json={"data": data})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "participants.0.event": ["Нет такого мероприятия в таблице выше."]
    }
    data["participants"][0]["event"] = "Семинар «Первый урок»"
    assert api.as_("methodist_a").put(target, json={"data": data}).status_code == 201
    # The methodist fills for the municipality; a school coordinator does not.
    assert api.as_("coord_a1").put(target, json={"data": data}).status_code == 404


def test_young_teachers_plan_asks_only_beginners(api, world, block):
    body = campaign_body(
        world.region.id,
        form_code="young_teacher_plan",
        title="Планы молодых педагогов",
        period_kind="school_year",
        period=f"{YEAR}/{YEAR + 1}",
        audience_staff={"experience_below": 3},
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    base = f"/api/v1/campaigns/{campaign['id']}/submissions"
    plan = {"activities": [{"year": 1, "activity": "открытый урок", "planned": f"{YEAR}-12-01"}]}
    ok = api.as_("coord_a1").put(f"{base}/{block['young'].id}", json={"data": plan})
    assert ok.status_code == 201
    veteran = api.as_("coord_a1").put(f"{base}/{block['veteran'].id}", json={"data": plan})
    assert veteran.status_code == 404
    assert veteran.json["error"]["message"] == "Этот работник не входит в аудиторию кампании."
    progress = api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign['id']}/progress").json
    beginners = 2 + (1 if YEAR - 2022 < 3 else 0)  # Новиков, Белова (and Петрова until 2024)
    assert progress["total"] == beginners and progress["by_state"]["draft"] == 1
    wrong = api.as_("operator").post(
        "/api/v1/campaigns",
        json=campaign_body(
            world.region.id, form_code="mentoring_pairs", audience_staff={"under_age": 35}
        ),
    )
    assert wrong.status_code == 422 and "audience_staff" in wrong.json["error"]["fields"]


def test_target_model_share_and_monitoring_summary(api, world, block):
    body = campaign_body(
        world.region.id,
        form_code="mentoring_monitoring",
        title="Мониторинг наставничества",
        period=f"{YEAR}-05",
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    data = {
        "act_adopted": True,
        "act_date": f"{YEAR - 1}-09-01",
        "act_number": "12-о",
        "programme_approved": True,
        "pairs_total": 1,
        "pairs_teacher": 1,
        "pairs_peer": 0,
        "pairs_group": 0,
        "pairs_school": 0,
        "young_covered": 1,
    }
    assert api.as_("coord_a1").put(target, json={"data": data}).status_code == 201
    assert api.as_("coord_a1").post(f"{target}/submit", json={}).status_code == 200

    def share():
        report = (
            api.as_("methodist_a")
            .get("/api/v1/indicators", query_string={"scope": world.muni_a.id, "period": str(YEAR)})
            .json
        )
        return {v["code"]: v for v in report["rows"][0]["values"]}["mentoring_target_model"]

    # A has one school (A1; A2 is a kindergarten): submitted is not yet accepted.
    assert (share()["numerator"], share()["denominator"]) == (0, 1)
    api.as_("methodist_a").post(f"{target}/accept")
    accepted = share()
    assert (accepted["numerator"], accepted["denominator"], accepted["value"]) == (1, 1, 100.0)
    assert accepted["status"] == "met"
    response = api.as_("operator").get(
        "/api/v1/exports/mentoring_monitoring_summary",
        query_string={"scope": world.region.id, "period": str(YEAR)},
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.data))["Мониторинг"].iter_rows(
            min_row=7, values_only=True
        )
    )
    assert len(rows) == 1
    assert rows[0][0] == "Школа А1" and rows[0][3] == "да" and rows[0][5] == 1


def test_an_accepted_proposal_drafts_a_pair_for_the_school(api, world, block):
    proposal = {
        "supporter_id": world.staff_a1.id,
        "kind": "mentoring",
        "reason": "Дефицит: методика проблемного обучения",
    }
    url_ = f"/api/v1/staff/{block['second'].id}/support-proposals"
    assert api.as_("coord_a1").post(url_, json=proposal).status_code == 403
    assert api.as_("methodist_b").post(url_, json=proposal).status_code == 404
    bad = api.as_("methodist_a").post(url_, json={**proposal, "supporter_id": 99999})
    assert bad.status_code == 422 and "supporter_id" in bad.json["error"]["fields"]
    assert api.as_("methodist_a").post(url_, json=proposal).status_code == 201
    pairs = api.as_("coord_a1").get(f"/api/v1/mentoring/organizations/{world.a1.id}/pairs")
    assert [(p["mentee"], p["status"]) for p in pairs.json] == [
        ("Белова Ирина Олеговна", "предложена")
    ]
    # The school confirms it in its register; acceptance turns the draft into the pair.
    data = {"pairs": [pair(world.staff_a1, block["second"], subject="химия")]}
    api.as_("coord_a1").put(url(block, world.a1), json={"data": data})
    api.as_("coord_a1").post(url(block, world.a1, "/submit"), json={"confirm_warnings": True})
    api.as_("methodist_a").post(url(block, world.a1, "/accept"))
    pairs = api.as_("coord_a1").get(f"/api/v1/mentoring/organizations/{world.a1.id}/pairs").json
    assert [(p["mentee"], p["status"]) for p in pairs] == [("Белова Ирина Олеговна", "действует")]
