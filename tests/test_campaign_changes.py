"""PATCH /api/v1/campaigns/{id}: changes with a reason, late flags never rewritten."""

import datetime as dt

import pytest

from core import clock
from core.models import AuditEntry
from forms.models import Campaign, Submission
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_submissions import save, url

DATA = {"act_adopted": True, "act_date": "2024-09-01", "pairs_total": 0}
OPENS, DEADLINE = dt.date(2026, 5, 11), dt.date(2026, 5, 31)


def freeze(monkeypatch, day, hour=12):
    instant = dt.datetime.combine(day, dt.time(hour), clock.zone(None))
    monkeypatch.setattr(clock, "now", lambda: instant.astimezone(dt.UTC))


@pytest.fixture
def campaign(api, world, monkeypatch):
    freeze(monkeypatch, dt.date(2026, 5, 20))
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    body = campaign_body(
        world.region.id, period="2026-05", opens_on=str(OPENS), deadline=str(DEADLINE)
    )
    response = api.as_("operator").post("/api/v1/campaigns", json=body)
    assert response.status_code == 201
    return response.json


def patch(api, campaign, who="operator", **body):
    return api.as_(who).patch(f"/api/v1/campaigns/{campaign['id']}", json=body)


def send(api, campaign, org, who):
    assert save(api, campaign, None, DATA, who=who, org=org).status_code == 201
    return api.as_(who).post(url(campaign, org, "/submit"), json={})


def test_extension_makes_later_answers_on_time_and_keeps_earlier_flags(
    api, world, campaign, monkeypatch
):
    assert patch(api, campaign, accepts_late=True, reason="Разрешили опоздания").status_code == 200
    freeze(monkeypatch, DEADLINE + dt.timedelta(days=2))
    assert send(api, campaign, world.a1, "coord_a1").status_code == 200
    extended = patch(api, campaign, deadline="2026-06-10", reason="Продлили по письму МО")
    assert extended.status_code == 200, extended.json
    assert extended.json["deadline"] == "2026-06-10"
    assert send(api, campaign, world.b1, "coord_b1").status_code == 200
    flags = {s.organization_id: (s.late, s.deadline_in_force) for s in Submission.select()}
    assert flags == {
        world.a1.id: (True, DEADLINE),
        world.b1.id: (False, dt.date(2026, 6, 10)),
    }
    entry = AuditEntry.select().where(AuditEntry.action == "change").order_by(AuditEntry.id.desc())
    last = entry.first()
    assert last.before == {"deadline": "2026-05-31"}
    assert last.after == {"deadline": "2026-06-10", "reason": "Продлили по письму МО"}


def test_shortening_below_today_needs_confirmation(api, world, campaign):
    asked = patch(api, campaign, deadline="2026-05-15", reason="Ошибка в сроке")
    assert asked.status_code == 409
    assert asked.json["error"]["code"] == "confirmation_required"
    assert "confirm" in asked.json["error"]["fields"]
    assert Campaign.get_by_id(campaign["id"]).deadline == DEADLINE
    done = patch(api, campaign, deadline="2026-05-15", confirm=True, reason="Ошибка в сроке")
    assert done.status_code == 200 and done.json["deadline"] == "2026-05-15"
    # Shortening to a day still ahead asks nothing.
    assert patch(api, campaign, deadline="2026-05-25", reason="Вернули").status_code == 200


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"deadline": "2026-05-01", "confirm": True, "reason": "x"}, 422, "deadline"),
        ({"title": "Новое", "reason": "   "}, 422, "reason"),
        ({"title": "Новое"}, 422, "reason"),
        ({"title": "", "reason": "x"}, 422, "title"),
    ],
)
def test_bad_changes_name_the_field_and_change_nothing(api, campaign, body, status, field):
    answer = patch(api, campaign, **body)
    assert answer.status_code == status
    assert field in answer.json["error"]["fields"]
    row = Campaign.get_by_id(campaign["id"])
    assert (row.title, row.deadline) == (campaign["title"], DEADLINE)
    assert not AuditEntry.select().where(AuditEntry.action == "change").exists()


def test_close_now_refuses_answers_and_cannot_close_twice(api, world, campaign):
    closed = patch(api, campaign, close=True, reason="Сбор завершён досрочно")
    assert closed.status_code == 200 and closed.json["closed_at"]
    refused = save(api, campaign, None, DATA, who="coord_a1", org=world.a1)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "campaign_closed"
    again = patch(api, campaign, close=True, reason="Ещё раз")
    assert again.status_code == 409 and "close" in again.json["error"]["fields"]


def test_title_description_and_who_may_change(api, world, campaign):
    changed = patch(api, campaign, title="Мониторинг-2026", description="Уточнённый", reason="Имя")
    assert changed.status_code == 200
    assert (changed.json["title"], changed.json["description"]) == ("Мониторинг-2026", "Уточнённый")
    # A municipal methodist sees the region's campaign but may not change it.
    assert patch(api, campaign, "methodist_a", title="Моё", reason="x").status_code == 403
    assert Campaign.get_by_id(campaign["id"]).title == "Мониторинг-2026"


def test_the_change_page(api, client, world, campaign):
    from tests.test_pages import csrf, sign_in

    sign_in(client, "operator")
    address = f"/campaigns/{campaign['id']}/change"
    page = client.get(address)
    assert page.status_code == 200 and "Изменить кампанию" in page.get_data(as_text=True)
    body = {"csrf_token": csrf(page), "title": campaign["title"], "deadline": "2026-06-15"}
    refused = client.post(address, data={**body, "reason": ""})
    assert refused.status_code == 422
    assert "Укажите причину изменения." in refused.get_data(as_text=True)
    assert Campaign.get_by_id(campaign["id"]).deadline == DEADLINE
    done = client.post(address, data={**body, "reason": "Продление"})
    assert done.status_code == 302
    assert Campaign.get_by_id(campaign["id"]).deadline == dt.date(2026, 6, 15)
