"""Events fire from the domain, on every path: the page, the API, a bulk action, an import
through the API and the command line.  What a block keeps inside the accepting
transaction is kept or refused with it; notifications go out once, after commit."""

import datetime as dt
import logging

import pytest

from core.db import database
from core.hookspecs import hookimpl
from core.models import StaffMember
from forms.models import FormDefinition
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_imports import ORG_CSV, STAFF_HEADER, upload
from tests.test_mentoring import pair
from tests.test_pages import browser, csrf, sign_in

YEAR = dt.date.today().year
REFUSING_FORM = {
    "code": "refusing_form",
    "title": "Форма, которую блок не может принять",
    "sections": [{"title": "Сведения", "fields": [{"name": "n", "type": "integer", "label": "N"}]}],
}


class Listener:
    """An inline block: records the events it hears; refuses or fails when told to."""

    def __init__(self):
        self.heard, self.refuse_state, self.fail_after_commit = [], None, False

    @hookimpl
    def plugin_info(self):
        return {"name": "listener", "title": "Слушатель", "version": "1"}

    @hookimpl
    def register_forms(self):
        def refuse(submission, user):
            raise ValueError("реестр блока не сходится с анкетой")

        return [{**REFUSING_FORM, "on_accepted": refuse, "check": lambda *args: None}]

    @hookimpl
    def organization_created(self, organization, user):
        self.heard.append(("organization_created", organization.code))

    @hookimpl
    def staff_changed(self, staff, action, user):
        self.heard.append(("staff_changed", staff.full_name, action))

    @hookimpl
    def submission_state_changing(self, submission, old_state, new_state, user):
        if new_state == self.refuse_state:
            raise RuntimeError("the listener refuses")

    @hookimpl
    def submission_state_changed(self, submission, old_state, new_state, user):
        self.heard.append(("submission_state_changed", old_state, new_state))


class Grumpy:
    """A block whose after-commit listener always fails."""

    @hookimpl
    def plugin_info(self):
        return {"name": "grumpy", "title": "Ворчун", "version": "1"}

    @hookimpl
    def submission_state_changed(self, submission, old_state, new_state, user):
        raise RuntimeError("grumpy listener")


@pytest.fixture
def listener():
    return Listener()


@pytest.fixture
def app(make_app, listener):
    return make_app(plugins=[listener, Grumpy()])


def heard(listener, name):
    return [event[1:] for event in listener.heard if event[0] == name]


def submitted(api, world, campaign_body_):
    """A campaign of the body's form and A1's submission in it, submitted."""
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body_).json
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}"
    return campaign, target


def test_accepting_a_pairs_register_on_the_page_creates_the_pairs(app, api, world, listener):
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring")
    with database.connection_context():
        young = StaffMember.create(
            organization=world.a1,
            full_name="Новиков Илья Сергеевич",
            position="учитель",
            birth_year=YEAR - 24,
            teaching_since=YEAR - 1,
        )
    body = campaign_body(
        world.region.id, form_code="mentoring_pairs", period_kind="school_year",
        period=f"{YEAR}/{YEAR + 1}",
    )  # fmt: skip
    campaign, target = submitted(api, world, body)
    data = {"pairs": [pair(world.staff_a1, young, subject="физика")]}
    assert api.as_("coord_a1").put(target, json={"data": data}).status_code == 201
    sent = api.as_("coord_a1").post(f"{target}/submit", json={"confirm_warnings": True})
    assert sent.status_code == 200, sent.json
    client = browser(app)
    sign_in(client, "methodist.a")
    page = f"/campaigns/{campaign['id']}/review/{world.a1.id}"
    accepted = client.post(page, data={"csrf_token": csrf(client.get(page)), "action": "accept"})
    assert "Анкета принята." in accepted.get_data(as_text=True)
    pairs = api.as_("methodist_a").get(f"/api/v1/mentoring/organizations/{world.a1.id}/pairs")
    assert [(p["mentor"], p["mentee"]) for p in pairs.json] == [
        ("Петрова Анна Ивановна", "Новиков Илья Сергеевич")
    ]
    assert heard(listener, "submission_state_changed") == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "accepted"),
    ]


def test_accepting_a_result_form_on_the_page_records_the_result(app, api, world, diag):
    body = campaign_body(
        world.region.id, form_code="diagnostics_result", period_kind="year", period=str(YEAR)
    )
    campaign = api.as_("operator").post("/api/v1/campaigns", json=body).json
    target = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.staff_a1.id}"
    data = {
        "procedure": "Региональная",
        "date": f"{YEAR}-02-10",
        "area": "Методические компетенции",
        "score": 38.5,
    }
    assert api.as_("coord_a1").put(target, json={"data": data}).status_code == 201
    assert api.as_("coord_a1").post(f"{target}/submit", json={}).status_code == 200
    client = browser(app)
    sign_in(client, "methodist.a")
    page = f"/campaigns/{campaign['id']}/review/{world.staff_a1.id}"
    accepted = client.post(page, data={"csrf_token": csrf(client.get(page)), "action": "accept"})
    assert "Анкета принята." in accepted.get_data(as_text=True)
    results = api.as_("methodist_a").get(f"/api/v1/diagnostics/staff/{world.staff_a1.id}/results")
    assert [(r["source"], r["area"], r["score"], r["level"]) for r in results.json["results"]] == [
        ("form", "methodical", 38.5, "low")
    ]


def test_an_import_fires_organization_created_once_per_new_organisation(
    app, api, world, listener, tmp_path
):
    assert upload(api, "operator", "organizations", world.region, ORG_CSV.encode()).json == {
        "created": 3, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    again = upload(api, "operator", "organizations", world.region, ORG_CSV.encode())
    assert again.json["unchanged"] == 3
    # A school directly under the region is refused after the first row was written:
    # the whole file rolls back, and nobody hears of the municipality it held.
    header = "Код;Наименование;Тип;Код вышестоящей организации\n"
    refused = header + "d;Муниципалитет Г;муниципалитет;\nd1;Школа;школа;\n"
    failed = upload(api, "operator", "organizations", world.region, refused.encode())
    assert (
        failed.status_code == 422
        and "не может входить" in failed.json["error"]["fields"]["file"][0]
    )
    more = tmp_path / "more.csv"
    more.write_text(header + "e;Муниципалитет Д;муниципалитет;\n")
    result = app.test_cli_runner().invoke(
        args=["import", "organizations", str(more), "--scope", "r"]
    )
    assert result.exit_code == 0, result.output
    body = {"parent_id": world.muni_a.id, "kind": "school", "name": "Новая", "code": "n1"}
    assert api.as_("methodist_a").post("/api/v1/organizations", json=body).status_code == 201
    assert heard(listener, "organization_created") == [("c",), ("c1",), ("c2",), ("e",), ("n1",)]


def test_staff_changed_through_the_api_and_imports(api, world, listener):
    body = {"full_name": "Зайцева Ольга Петровна", "position": "учитель", "birth_year": 1990}
    created = api.as_("coord_a1").post(f"/api/v1/organizations/{world.a1.id}/staff", json=body)
    assert created.status_code == 201
    url = f"/api/v1/staff/{created.json['id']}"
    assert api.as_("coord_a1").patch(url, json={"position": "завуч"}).status_code == 200
    assert api.as_("coord_a1").patch(url, json={"position": "завуч"}).status_code == 200
    assert api.as_("coord_a1").patch(url, json={"active": False}).status_code == 200
    duplicate = {**body, "code": "t-1"}
    assert api.as_("coord_a1").post(
        f"/api/v1/organizations/{world.a1.id}/staff", json=duplicate
    ).status_code == 409  # fmt: skip
    hired = STAFF_HEADER + "a1;Кузнецов Пётр Ильич;учитель;1980;2005;;;;;k-1;да\n"
    assert upload(api, "operator", "staff", world.region, hired.encode()).status_code == 200
    left = hired.replace(";да\n", ";нет\n")
    assert upload(api, "operator", "staff", world.region, left.encode()).json["updated"] == 1
    assert heard(listener, "staff_changed") == [
        ("Зайцева Ольга Петровна", "create"),
        ("Зайцева Ольга Петровна", "update"),
        ("Зайцева Ольга Петровна", "dismiss"),
        ("Кузнецов Пётр Ильич", "create"),
        ("Кузнецов Пётр Ильич", "dismiss"),
    ]


def _state(api, target):
    submission = api.as_("methodist_a").get(target).json
    history = api.as_("methodist_a").get(f"{target}/history").json
    return submission["state"], submission["version"], len(history)


def test_a_refusal_inside_the_transaction_leaves_the_submission_submitted(
    app, api, world, listener
):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign, target = submitted(api, world, campaign_body(world.region.id))
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    assert api.as_("coord_a1").post(f"{target}/submit", json={}).status_code == 200
    before = _state(api, target)
    assert before[0] == "submitted"
    listener.refuse_state = "accepted"
    refused = api.as_("methodist_a").post(f"{target}/accept")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "block_refused"
    assert "Изменение не сохранено" in refused.json["error"]["message"]
    client = browser(app)
    sign_in(client, "methodist.a")
    page = f"/campaigns/{campaign['id']}/review/{world.a1.id}"
    shown = client.post(page, data={"csrf_token": csrf(client.get(page)), "action": "accept"})
    text = shown.get_data(as_text=True)
    assert shown.status_code == 422 and "Изменение не сохранено" in text
    assert "На проверке" in text and f"версия {before[1]}" in text
    bulk = api.as_("methodist_a").post(
        f"/api/v1/campaigns/{campaign['id']}/bulk-accept", json={"all_submitted": True}
    )
    assert bulk.json["done"] == [] and str(world.a1.id) in bulk.json["refused"]
    assert _state(api, target) == before
    assert ("submitted", "accepted") not in heard(listener, "submission_state_changed")
    listener.refuse_state = None
    bulk = api.as_("methodist_a").post(
        f"/api/v1/campaigns/{campaign['id']}/bulk-accept", json={"all_submitted": True}
    )
    assert bulk.json["done"] == [world.a1.id]
    assert heard(listener, "submission_state_changed")[-1] == ("submitted", "accepted")


def test_a_block_failing_on_accepted_refuses_the_acceptance(api, world, listener):
    api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/listener")
    body = campaign_body(world.region.id, form_code="refusing_form")
    _, target = submitted(api, world, body)
    assert api.as_("coord_a1").put(target, json={"data": {"n": 1}}).status_code == 201
    assert api.as_("coord_a1").post(f"{target}/submit", json={}).status_code == 200
    before = _state(api, target)
    refused = api.as_("methodist_a").post(f"{target}/accept")
    assert refused.status_code == 409, refused.json
    assert refused.json["error"]["message"].endswith("реестр блока не сходится с анкетой")
    assert _state(api, target) == before
    with database.connection_context():  # the callbacks are code, never stored
        stored = FormDefinition.get(FormDefinition.code == "refusing_form").definition
        assert "on_accepted" not in stored and "check" not in stored


def test_a_listener_failing_after_commit_does_not_undo_the_change(api, world, listener, caplog):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    _, target = submitted(api, world, campaign_body(world.region.id))
    api.as_("coord_a1").put(target, json={"data": {"act_adopted": False, "pairs_total": 0}})
    with caplog.at_level(logging.ERROR, logger="core.events"):
        assert api.as_("coord_a1").post(f"{target}/submit", json={}).status_code == 200
    assert _state(api, target)[0] == "submitted"
    assert "grumpy" in caplog.text  # logged, and the other block still heard it
    assert heard(listener, "submission_state_changed")[-1] == ("draft", "submitted")


def test_events_queued_outside_a_scope_are_refused(app):
    from core import events

    with app.app_context(), pytest.raises(RuntimeError, match="outside events.collecting"):
        events.after_commit("staff_changed", staff=None, action="create", user=None)


def test_events_of_a_rolled_back_scope_are_dropped(app, world, listener):
    from core import events
    from core import staff as roster

    def hire(name):
        values = {"full_name": name, "position": "учитель", "birth_year": 1980}
        roster.create(world.a1, values, user=None)

    with app.app_context(), database.connection_context():
        with pytest.raises(LookupError), events.collecting(), database.atomic():
            hire("Призрак")
            raise LookupError("rolled back")
        with events.collecting():  # a nested part that fails is dropped, the rest goes out
            hire("Живой")
            with pytest.raises(LookupError), events.collecting(), database.atomic():
                hire("Откат")
                raise LookupError("rolled back")
        assert not StaffMember.select().where(StaffMember.full_name == "Призрак").exists()
    assert heard(listener, "staff_changed") == [("Живой", "create")]
