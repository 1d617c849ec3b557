"""The review queue's page: filters (state, municipality, school), natural order, bulk
acceptance and return with a reason (events fire from the domain), staff-level campaigns
grouped by school with the teacher's name and position, a fixed number of queries."""

import datetime as dt

import pytest

from core import organizations as tree
from core.db import database
from core.models import RoleGrant, StaffMember, User
from core.security import tokens
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_campaign_pages import count_queries, error_of, signed, text
from tests.test_mentoring import pair
from tests.test_pages import csrf

YEAR = dt.date.today().year
DATA = {"act_adopted": False, "pairs_total": 0}


def submit(api, who, campaign_id, subject_id, data=None):
    target = f"/api/v1/campaigns/{campaign_id}/submissions/{subject_id}"
    assert api.as_(who).put(target, json={"data": data or DATA}).status_code in (200, 201)
    sent = api.as_(who).post(f"{target}/submit", json={"confirm_warnings": True})
    assert sent.status_code == 200, sent.json


def state_of(api, campaign_id, subject_id):
    url = f"/api/v1/campaigns/{campaign_id}/submissions/{subject_id}"
    return api.as_("operator").get(url).json


@pytest.fixture
def queue(api, world):
    """Region campaign: А1 and Б1 submitted, Б2 a draft."""
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    campaign_id = campaign.json["id"]
    submit(api, "coord_a1", campaign_id, world.a1.id)
    submit(api, "coord_b1", campaign_id, world.b1.id)
    draft = f"/api/v1/campaigns/{campaign_id}/submissions/{world.b2.id}"
    assert api.as_("admin").put(draft, json={"data": DATA}).status_code == 201
    return campaign_id


def rows_of(page):
    """Organisation names of the queue's table, in order."""
    body = page[page.index("<table>") : page.index("</table>")]
    return [part.split("</a>")[0].split(">")[-1] for part in body.split("/review/")[1:]]


def test_filters_by_state_municipality_and_school(app, world, queue):
    client = signed(app, "operator")
    base = f"/campaigns/{queue}/review"
    assert rows_of(text(client.get(base))) == ["Школа А1", "Школа Б1", "Школа Б2"]
    assert rows_of(text(client.get(f"{base}?state=submitted"))) == ["Школа А1", "Школа Б1"]
    by_muni = text(client.get(f"{base}?municipality={world.muni_b.id}"))
    assert rows_of(by_muni) == ["Школа Б1", "Школа Б2"]
    assert rows_of(text(client.get(f"{base}?school={world.b2.id}"))) == ["Школа Б2"]
    methodist = text(signed(app, "methodist.a").get(base))
    assert rows_of(methodist) == ["Школа А1"]


def bulk(client, campaign_id, action, query="", **data):
    page = client.get(f"/campaigns/{campaign_id}/review{query}")
    form = {"csrf_token": csrf(page), "action": action, **data}
    return client.post(f"/campaigns/{campaign_id}/review/bulk{query}", data=form)


def test_bulk_accept_and_return_with_a_reason(app, api, world, queue):
    client = signed(app, "operator")
    accepted = bulk(client, queue, "accept", subject=[str(world.a1.id)])
    assert accepted.status_code == 200 and "Принято анкет: 1." in text(accepted)
    assert state_of(api, queue, world.a1.id)["state"] == "accepted"
    assert state_of(api, queue, world.b1.id)["state"] == "submitted"
    no_reason = bulk(client, queue, "return", subject=[str(world.b1.id)], reason="  ")
    assert no_reason.status_code == 422
    assert error_of(text(no_reason), "reason") == "Укажите причину возврата."
    assert state_of(api, queue, world.b1.id)["state"] == "submitted"
    nothing = bulk(client, queue, "accept")
    assert nothing.status_code == 422 and "Отметьте анкеты" in text(nothing)
    returned = bulk(client, queue, "return", subject=[str(world.b1.id)], reason="Нет акта")
    assert "Возвращено на доработку: 1." in text(returned)
    b1 = state_of(api, queue, world.b1.id)
    assert b1["state"] == "returned" and b1["review_comment"] == "Нет акта"


def test_everything_the_filter_shows_is_accepted_and_nothing_else(app, api, world, queue):
    client = signed(app, "operator")
    done = bulk(client, queue, "accept", f"?municipality={world.muni_b.id}", everything="1")
    assert "Принято анкет: 1." in text(done)
    assert state_of(api, queue, world.b1.id)["state"] == "accepted"
    assert state_of(api, queue, world.a1.id)["state"] == "submitted"
    assert state_of(api, queue, world.b2.id)["state"] == "draft"
    other = signed(app, "methodist.b")
    refused = bulk(other, queue, "accept", subject=[str(world.a1.id)])
    assert "Принято анкет: 0." in text(refused)  # outside their scope: not found, not changed
    assert state_of(api, queue, world.a1.id)["state"] == "submitted"


def test_a_pairs_register_bulk_accepted_on_the_page_creates_the_pairs(app, api, world):
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring")
    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1, full_name="Новиков Илья Сергеевич", position="учитель",
            birth_year=YEAR - 24, teaching_since=YEAR - 1,
        )  # fmt: skip
    body = campaign_body(
        world.region.id, form_code="mentoring_pairs", period_kind="school_year",
        period=f"{YEAR}/{YEAR + 1}",
    )  # fmt: skip
    campaign_id = api.as_("operator").post("/api/v1/campaigns", json=body).json["id"]
    submit(api, "coord_a1", campaign_id, world.a1.id, {"pairs": [pair(world.staff_a1, young)]})
    client = signed(app, "methodist.a")
    done = bulk(client, campaign_id, "accept", everything="1")
    assert "Принято анкет: 1." in text(done)
    pairs = api.as_("methodist_a").get(f"/api/v1/mentoring/organizations/{world.a1.id}/pairs")
    assert [(p["mentor"], p["mentee"]) for p in pairs.json] == [
        ("Петрова Анна Ивановна", "Новиков Илья Сергеевич")
    ]


TEACHER_PLAN = {
    "code": "teacher_plan",
    "title": "План учителя",
    "level": "staff",
    "sections": [
        {"title": "План", "fields": [{"name": "hours", "type": "integer", "label": "Часы"}]}
    ],
}


def test_staff_level_queue_is_grouped_by_school_with_name_and_position(app, api, world):
    with database.connection_context():
        user = User.create(login="teacher.b1", password_hash="x", full_name="Сидоров")
        RoleGrant.create(user=user, role="teacher", staff=world.staff_b1)
        world.tokens["teacher_b1"], _ = tokens.issue(user, 1)
        StaffMember.update(position="учитель физики").where(
            StaffMember.id == world.staff_b1.id
        ).execute()
    assert api.as_("operator").post("/api/v1/forms", json=TEACHER_PLAN).status_code == 201
    body = campaign_body(world.region.id, form_code="teacher_plan")
    campaign_id = api.as_("operator").post("/api/v1/campaigns", json=body).json["id"]
    submit(api, "teacher_a1", campaign_id, world.staff_a1.id, {"hours": 3})
    submit(api, "teacher_b1", campaign_id, world.staff_b1.id, {"hours": 4})
    page = text(signed(app, "operator").get(f"/campaigns/{campaign_id}/review"))
    assert page.index('scope="rowgroup">Школа А1') < page.index("Петрова Анна Ивановна")
    assert page.index("Петрова Анна Ивановна") < page.index('scope="rowgroup">Школа Б1')
    assert page.index('scope="rowgroup">Школа Б1') < page.index("Сидоров Олег Петрович")
    assert "учитель физики" in page
    client = signed(app, "operator")
    done = bulk(client, campaign_id, "accept", subject=[str(world.staff_b1.id)])
    assert "Принято анкет: 1." in text(done)
    assert state_of(api, campaign_id, world.staff_b1.id)["state"] == "accepted"
    assert state_of(api, campaign_id, world.staff_a1.id)["state"] == "submitted"


def test_the_queue_reads_a_fixed_number_of_queries(app, api, world, queue):
    client = signed(app, "operator")
    url = f"/campaigns/{queue}/review"
    before = count_queries(lambda: client.get(url))
    with app.app_context(), database.connection_context():
        schools = [
            tree.create(kind="school", name=f"Школа № {n}", code=f"x{n}", parent=world.muni_a)
            for n in range(5)
        ]
    for school in schools:
        target = f"/api/v1/campaigns/{queue}/submissions/{school.id}"
        assert api.as_("admin").put(target, json={"data": DATA}).status_code == 201
    assert len(rows_of(text(client.get(url)))) == 8
    assert count_queries(lambda: client.get(url)) == before
