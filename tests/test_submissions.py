"""The submission workflow through the API: states × actions × roles, locks, 409s, history."""

import datetime as dt

import pytest

from core.db import database
from core.models import AuditEntry
from forms.models import Campaign, Submission, SubmissionEvent
from tests.forms_fixtures import MONITORING, campaign_body


@pytest.fixture
def campaign(api, world):
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    response = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    assert response.status_code == 201, response.json
    return response.json


def url(campaign, subject, action=""):
    return f"/api/v1/campaigns/{campaign['id']}/submissions/{subject.id}{action}"


def valid_data(world):
    return {
        "act_adopted": True,
        "act_date": "2024-09-01",
        "pairs_total": 3,
        "pairs_teacher": 2,
        "pairs_peer": 1,
        "pairs": [{"mentor": world.staff_a1.id, "mentee": world.staff_a1.id + 100}],
    }


def save(api, campaign, world, data, version=None, who="coord_a1", org=None):
    return api.as_(who).put(url(campaign, org or world.a1), json={"data": data, "version": version})


def test_campaign_detail_and_my_campaigns(api, world, campaign):
    mine = api.as_("coord_a1").get("/api/v1/campaigns", query_string={"mine": "true"}).json
    assert [c["id"] for c in mine["items"]] == [campaign["id"]]
    assert mine["items"][0]["my_submissions"] == [
        {"subject_id": world.a1.id, "name": "Школа А1", "state": None}
    ]
    assert campaign["period_label"].startswith("май")
    assert campaign["reference_year"] == dt.date.today().year


def test_draft_never_fails_for_missing_required_fields(api, world, campaign):
    response = save(api, campaign, world, {"act_number": "12-о"})
    assert response.status_code == 201
    assert response.json["state"] == "draft" and response.json["version"] == 1
    # ...but types and formats are checked, and nothing is stored then.
    bad = save(api, campaign, world, {"pairs_total": "три", "act_date": "01.09.2024"}, version=1)
    assert bad.status_code == 422
    assert bad.json["error"]["fields"] == {
        "pairs_total": ["Ожидалось целое число."],
        "act_date": ["Ожидалась дата в формате ГГГГ-ММ-ДД."],
    }
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["data"] == {"act_number": "12-о"}


def test_submit_checks_every_rule(api, world, campaign):
    data = {**valid_data(world), "pairs_total": 5, "act_date": None}
    data["pairs"] = [
        {
            "mentor": world.staff_a1.id,
            "mentee": world.staff_a1.id,
            "start": "2025-01-01",
            "end": "2024-01-01",
        }
    ]
    assert save(api, campaign, world, data).status_code == 201
    response = api.as_("coord_a1").post(url(campaign, world.a1, "/submit"), json={})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["act_date"] == ["Обязательное поле."]
    assert fields["pairs_total"][0].startswith(
        "Сумма полей «Учитель – учитель», «Равный – равному» (3)"
    )
    assert fields["pairs.0.mentor"] == ["Не должно совпадать с полем «Наставляемый»."]
    assert fields["pairs.0.end"] == ["Должно быть не меньше поля «Начало»."]
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["state"] == "draft"


def test_staff_references_must_be_the_schools_own(api, world, campaign):
    data = valid_data(world)
    data["pairs"] = [{"mentor": world.staff_b1.id, "mentee": world.staff_a1.id}]
    response = save(api, campaign, world, data)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "pairs.0.mentor": ["Работник не найден в этой организации."]
    }


def full_cycle(api, world, campaign):
    data = valid_data(world)
    data["pairs"] = [{"mentor": world.staff_a1.id, "mentee": world.staff_a1.id + 1}]
    with database.connection_context():
        from core.models import StaffMember

        other = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья",
            position="учитель",
            birth_year=2000,
            teaching_since=2024,
        )
    data["pairs"] = [{"mentor": world.staff_a1.id, "mentee": other.id}]
    assert save(api, campaign, world, data).status_code == 201
    return data


def test_the_whole_cycle_with_history(api, world, campaign):
    data = full_cycle(api, world, campaign)
    submitted = api.as_("coord_a1").post(url(campaign, world.a1, "/submit"), json={"version": 1})
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["state"] == "submitted" and submitted.json["late"] is False
    # The school cannot change what is under review.
    locked = save(api, campaign, world, data, version=2)
    assert locked.status_code == 409
    assert locked.json["error"]["code"] == "submission_submitted"
    # A reason is required to return it.
    no_reason = api.as_("methodist_a").post(url(campaign, world.a1, "/return"), json={})
    assert no_reason.status_code == 422
    assert no_reason.json["error"]["fields"] == {"reason": ["Обязательное поле."]}
    returned = api.as_("methodist_a").post(
        url(campaign, world.a1, "/return"),
        json={"reason": "Уточните дату акта", "field_comments": {"act_date": "Дата не совпадает"}},
    )
    assert returned.status_code == 200
    assert returned.json["state"] == "returned"
    seen = api.as_("coord_a1").get(url(campaign, world.a1)).json
    assert seen["review_comment"] == "Уточните дату акта"
    assert seen["field_comments"] == {"act_date": "Дата не совпадает"}
    fixed = save(api, campaign, world, {**data, "act_date": "2024-09-02"}, version=3)
    assert fixed.status_code == 200 and fixed.json["version"] == 4
    assert api.as_("coord_a1").post(url(campaign, world.a1, "/submit"), json={}).status_code == 200
    accepted = api.as_("methodist_a").post(url(campaign, world.a1, "/accept"))
    assert accepted.status_code == 200 and accepted.json["state"] == "accepted"
    # Accepted is locked for everyone until reopened.
    response = save(api, campaign, world, data, version=6)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "submission_accepted"
    assert api.as_("coord_a1").post(url(campaign, world.a1, "/submit")).status_code == 409
    assert api.as_("methodist_a").post(url(campaign, world.a1, "/accept")).status_code == 409
    reopened = api.as_("methodist_a").post(
        url(campaign, world.a1, "/reopen"), json={"reason": "Ошибка в реестре пар"}
    )
    assert reopened.status_code == 200 and reopened.json["state"] == "returned"
    history = api.as_("coord_a1").get(url(campaign, world.a1, "/history")).json
    assert [(h["action"], h["from_state"], h["to_state"]) for h in history] == [
        ("create", None, "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("save", "returned", "returned"),
        ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"),
        ("reopen", "accepted", "returned"),
    ]
    assert history[3]["changes"] == {"act_date": {"before": "2024-09-01", "after": "2024-09-02"}}
    assert history[2]["comment"] == "Уточните дату акта" and history[2]["login"] == "methodist.a"
    with database.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "reopen").count() == 1


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("coord_a1", "/accept", 403),
        ("coord_a1", "/return", 403),
        ("teacher_a1", "/submit", 403),
        ("expert_a", "/accept", 403),
        ("methodist_b", "/accept", 404),
        ("coord_b1", "/submit", 404),
        ("operator", "/accept", 200),
        ("methodist_a", "/accept", 200),
    ],
)
def test_roles_and_scope_for_actions(api, world, campaign, who, action, status):
    full_cycle(api, world, campaign)
    assert api.as_("coord_a1").post(url(campaign, world.a1, "/submit")).status_code == 200
    body = {"reason": "причина"} if action == "/return" else {}
    response = api.as_(who).post(url(campaign, world.a1, action), json=body)
    assert response.status_code == status


def test_optimistic_concurrency(api, world, campaign):
    assert save(api, campaign, world, {"act_number": "1"}).status_code == 201
    assert save(api, campaign, world, {"act_number": "2"}, version=1).status_code == 200
    stale = save(api, campaign, world, {"act_number": "3"}, version=1)
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "version_conflict"
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["data"] == {"act_number": "2"}
    twin = save(api, campaign, world, {"act_number": "x"}, version=0)
    assert twin.status_code == 409


def test_idempotency_keys(api, world, campaign):
    headers = {"Idempotency-Key": "abc-123"}
    body = {"data": {"act_number": "7"}}
    first = api.as_("coord_a1").put(url(campaign, world.a1), json=body, headers=headers)
    again = api.as_("coord_a1").put(url(campaign, world.a1), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    with database.connection_context():
        assert Submission.select().count() == 1
        assert SubmissionEvent.select().count() == 1
    other = api.as_("coord_a1").put(
        url(campaign, world.a1), json={"data": {"act_number": "8"}}, headers=headers
    )
    assert other.status_code == 409
    assert other.json["error"]["code"] == "idempotency_conflict"


def test_idempotency_claims_in_flight_refused_and_abandoned_taken_over(api, world, campaign):
    from core.models import utcnow
    from forms.models import IdempotencyRecord

    body, path = {"data": {"act_number": "7"}}, url(campaign, world.a1)
    key = {"Idempotency-Key": "k-1"}
    assert api.as_("coord_a1").put(path, json=body, headers=key).status_code == 201

    def claimed(age_s):  # as if the first request were still running since age_s
        with database.connection_context():
            IdempotencyRecord.update(
                status=0, body="", created_at=utcnow() - dt.timedelta(seconds=age_s)
            ).execute()

    claimed(5)
    busy = api.as_("coord_a1").put(path, json=body, headers=key)
    assert busy.status_code == 409 and busy.json["error"]["code"] == "idempotency_in_progress"
    claimed(3600)  # its server died long ago: the key is taken over and the request runs
    again = api.as_("coord_a1").put(path, json=body, headers=key)
    assert again.status_code == 200 and "Idempotent-Replayed" not in again.headers
    assert api.as_("coord_a1").put(path, json=body, headers=key).headers["Idempotent-Replayed"]
    # A refused request leaves no claim: the same key works once the cause is fixed.
    stale = {"data": {"act_number": "8"}, "version": 9}
    refused = api.as_("coord_a1").put(path, json=stale, headers={"Idempotency-Key": "k-2"})
    assert refused.status_code == 409
    with database.connection_context():
        assert not IdempotencyRecord.select().where(IdempotencyRecord.key == "k-2").exists()
        assert Submission.select().count() == 1


def test_refusals_have_distinct_codes(api, world, campaign):
    with database.connection_context():
        Campaign.update(opens_on=dt.date.today() + dt.timedelta(days=1)).execute()
    early = save(api, campaign, world, {"act_number": "1"})
    assert early.status_code == 409 and early.json["error"]["code"] == "campaign_not_open"
    with database.connection_context():
        Campaign.update(
            opens_on=dt.date.today() - dt.timedelta(days=30),
            deadline=dt.date.today() - dt.timedelta(days=1),
        ).execute()
    late = save(api, campaign, world, {"act_number": "1"})
    assert late.status_code == 409 and late.json["error"]["code"] == "deadline_passed"
    with database.connection_context():
        Campaign.update(accepts_late=True).execute()
    assert save(api, campaign, world, {"act_number": "1"}).status_code == 201


def test_late_submissions_are_marked(api, world, campaign):
    full_cycle(api, world, campaign)
    with database.connection_context():
        Campaign.update(
            deadline=dt.date.today() - dt.timedelta(days=1), accepts_late=True
        ).execute()
    response = api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    assert response.status_code == 200 and response.json["late"] is True


def test_trash_and_restore(api, world, campaign):
    assert save(api, campaign, world, {"act_number": "1"}).status_code == 201
    assert api.as_("coord_a1").delete(url(campaign, world.a1)).status_code == 204
    assert api.as_("coord_a1").get(url(campaign, world.a1)).status_code == 404
    in_trash = api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign['id']}/trash").json
    assert [s["organization_id"] for s in in_trash["items"]] == [world.a1.id]
    blocked = save(api, campaign, world, {"act_number": "2"})
    assert blocked.status_code == 409 and blocked.json["error"]["code"] == "in_trash"
    assert api.as_("methodist_a").post(url(campaign, world.a1, "/restore")).status_code == 200
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["data"] == {"act_number": "1"}


def test_only_drafts_are_deleted_by_schools(api, world, campaign):
    full_cycle(api, world, campaign)
    api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    refused = api.as_("coord_a1").delete(url(campaign, world.a1))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_a_draft"
    assert api.as_("admin").delete(url(campaign, world.a1)).status_code == 204
    with database.connection_context():
        assert Submission.select().where(Submission.deleted_at.is_null(False)).count() == 1


def test_bulk_accept_and_return(api, world, campaign):
    full_cycle(api, world, campaign)
    api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    save(api, campaign, world, {"act_number": "b"}, who="coord_b1", org=world.b1)
    result = api.as_("operator").post(
        f"/api/v1/campaigns/{campaign['id']}/bulk-accept",
        json={"subject_ids": [world.a1.id, world.b1.id, world.b2.id]},
    )
    assert result.status_code == 200
    assert result.json["done"] == [world.a1.id]
    assert set(result.json["refused"]) == {str(world.b1.id), str(world.b2.id)}
    nothing = api.as_("operator").post(
        f"/api/v1/campaigns/{campaign['id']}/bulk-return",
        json={"all_submitted": True, "reason": "Проверка"},
    )
    assert nothing.json == {"done": [], "refused": {}}
    assert (
        api.as_("operator")
        .post(f"/api/v1/campaigns/{campaign['id']}/bulk-return", json={"all_submitted": True})
        .status_code
        == 422
    )


def test_review_queue_is_scoped(api, world, campaign):
    full_cycle(api, world, campaign)
    api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    queue = f"/api/v1/campaigns/{campaign['id']}/submissions"
    assert api.as_("methodist_a").get(queue, query_string={"state": "submitted"}).json["total"] == 1
    assert api.as_("methodist_b").get(queue).json["total"] == 0
    assert api.as_("coord_a1").get(queue).status_code == 403


def test_progress_rolls_up(api, world, campaign):
    full_cycle(api, world, campaign)
    api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    save(api, campaign, world, {"act_number": "b"}, who="coord_b1", org=world.b1)
    progress = api.as_("operator").get(f"/api/v1/campaigns/{campaign['id']}/progress").json
    assert progress["total"] == 4  # a1, a2 (kindergarten), b1, b2
    assert progress["submitted"] == 1 and progress["on_time"] == 1
    assert progress["by_state"]["draft"] == 1 and progress["not_started"] == 2
    assert progress["share_submitted"] == 0.25
    assert {m["name"] for m in progress["missing"]} == {"Сад А2", "Школа Б1", "Школа Б2"}
    children = {c["name"]: c for c in progress["children"]}
    assert (
        children["Муниципалитет А"]["total"] == 2 and children["Муниципалитет А"]["submitted"] == 1
    )
    assert children["Куст Х"]["total"] == 2  # hub → municipality B
    own = api.as_("methodist_a").get(f"/api/v1/campaigns/{campaign['id']}/progress").json
    assert own["organization_id"] == world.muni_a.id and own["total"] == 2
    assert (
        api.as_("coord_a1").get(f"/api/v1/campaigns/{campaign['id']}/progress").status_code == 403
    )


def test_events_reach_plugins(make_app):
    from tests import sample_plugin
    from tests.conftest import Api, World

    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
    body = campaign_body(world.region.id, form_code="sample_form")
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    sample_plugin.EVENTS.clear()
    assert save(api, campaign, world, {"events": 2}).status_code == 201
    assert save(api, campaign, world, {"events": 3}, version=1).status_code == 200
    api.as_("coord_a1").post(url(campaign, world.a1, "/submit"))
    states = [(e[2], e[3]) for e in sample_plugin.EVENTS if e[0] == "submission_state_changed"]
    assert states == [(None, "draft"), ("draft", "draft"), ("draft", "submitted")]
    # Switched off in municipality A: the campaign disappears there, data stays.
    api.as_("methodist_a").delete(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
    gone = api.as_("coord_a1").get(url(campaign, world.a1))
    assert gone.status_code == 404
    assert api.as_("coord_a1").get("/api/v1/campaigns").json["total"] == 0
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["data"] == {"events": 3}


def test_block_rules_refuse_and_warn(make_app):
    from tests import sample_plugin
    from tests.conftest import Api, World

    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/sample")
    body = campaign_body(world.region.id, form_code="sample_form")
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    refused = save(api, campaign, world, {"events": 500})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "events": ["Не больше 100 мероприятий в тестовом блоке."]
    }
    with database.connection_context():
        assert Submission.select().count() == 0
    assert save(api, campaign, world, {"events": 0}).status_code == 201
    warned = api.as_("coord_a1").post(url(campaign, world.a1, "/submit"), json={})
    assert warned.status_code == 409
    assert warned.json["error"]["code"] == "confirmation_required"
    assert warned.json["error"]["fields"] == {"events": ["Ни одного мероприятия — точно?"]}
    confirmed = api.as_("coord_a1").post(
        url(campaign, world.a1, "/submit"), json={"confirm_warnings": True}
    )
    assert confirmed.status_code == 200 and confirmed.json["state"] == "submitted"
    history = api.as_("coord_a1").get(url(campaign, world.a1, "/history")).json
    assert "Ни одного мероприятия" in history[-1]["comment"]
    # The block refuses, inside the transaction, to accept a report without events.
    refused = api.as_("methodist_a").post(url(campaign, world.a1, "/accept"))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "block_refused"
    assert "без мероприятий" in refused.json["error"]["message"]
    assert api.as_("coord_a1").get(url(campaign, world.a1)).json["state"] == "submitted"
