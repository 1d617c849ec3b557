"""Every share counts its numerator within its denominator, whatever happens in between.

Hypothesis builds a municipality with schools and staff, opens campaigns (organisation
forms with and without a block, a staff form), then runs submissions, returns and
acceptances, closures and reopenings of schools, block switches and dismissals in random
order (through the domain functions and the API).  For every indicator, at the scope and
each unit: numerator ≤ denominator, a share ≤ 100 %, no denominator → «нет данных»; and
campaign completeness equals the campaign progress endpoint's figures.
"""

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import activation
from core import organizations as tree
from core import staff as roster
from core.db import database
from core.models import StaffMember
from forms import campaigns, store, workflow
from forms.definition import load_definition
from forms.models import Campaign, Submission

PERIOD = "2025"
counter = itertools.count()
FORMS = {  # key → (level, owning block)
    "plain": ("organization", None),
    "block": ("organization", "mentoring"),
    "staff": ("staff", None),
}


def _form(key):
    level, plugin = FORMS[key]
    raw = {
        "code": f"truth_{key}",
        "title": f"Проверочная форма {key}",
        "level": level,
        "sections": [
            {"title": "Раздел", "fields": [{"name": "note", "type": "text", "label": "Заметка"}]}
        ],
    }
    form, _ = store.save(load_definition(raw), plugin=plugin)
    return form


def _campaign(form, scope, user):
    today = dt.date.today()
    return campaigns.create(
        form,
        title=f"Кампания {form.code}",
        period_kind="year",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        scope=scope,
        audience_kinds=["school", "kindergarten"],
        opens_on=today - dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=10),
        accepts_late=True,
        user=user,
    )


actions = st.lists(
    st.tuples(
        st.sampled_from(
            ["submit", "submit", "submit", "return", "accept", "close", "reopen", "off", "on"]
            + ["dismiss"]
        ),
        st.integers(0, 20),
        st.integers(0, 20),
    ),
    max_size=14,
)
worlds = st.fixed_dictionaries(
    {
        "schools": st.lists(
            st.lists(st.sampled_from(["учитель", "методист", "Старший методист"]), max_size=3),
            min_size=1,
            max_size=3,
        ),
        "forms": st.lists(st.sampled_from(sorted(FORMS)), min_size=1, max_size=3),
        "actions": actions,
    }
)


class Scene:
    """One generated municipality and what is done in it."""

    def __init__(self, world, spec):
        n = next(counter)
        self.user = world.users["admin"]
        self.muni = tree.create(
            kind="municipality", name=f"Округ {n:03}", code=f"t{n}", parent=world.region
        )
        for block in ("mentoring", "diagnostics"):
            activation.set_enabled(self.muni, block, True)
        self.schools, self.staff = [], []
        for i, positions in enumerate(spec["schools"]):
            kind = "school" if i % 2 == 0 else "kindergarten"
            school = tree.create(kind=kind, name=f"ОО {n}-{i}", code=f"t{n}-{i}", parent=self.muni)
            self.schools.append(school)
            for j, position in enumerate(positions):
                values = {"full_name": f"Педагог {n}-{i}-{j}", "position": position}
                values.update(birth_year=1990 + 3 * j, teaching_since=2015 + 4 * j)
                self.staff.append(roster.create(school, values, user=self.user))
        self.campaigns = [_campaign(_form(key), self.muni, self.user) for key in spec["forms"]]

    def _subject(self, campaign, index):
        if campaign.form.level == "staff":
            if not self.staff:
                return None
            staff = StaffMember.get_by_id(self.staff[index % len(self.staff)].id)
            return staff.organization, staff
        return self.schools[index % len(self.schools)], None

    def act(self, action, first, second):
        school = self.schools[first % len(self.schools)]
        if action in ("close", "reopen"):  # (as PATCH /api/v1/organizations/{id} does)
            school.active = action == "reopen"
            school.save()
        elif action in ("off", "on"):
            activation.set_enabled(school, "mentoring", action == "on", self.user)
        elif action == "dismiss" and self.staff:
            member = StaffMember.get_by_id(self.staff[first % len(self.staff)].id)
            before = roster.snapshot(member)
            member.active = False
            roster.save(member, before, user=self.user)
        elif action in ("submit", "return", "accept"):
            campaign = Campaign.get_by_id(self.campaigns[first % len(self.campaigns)].id)
            subject = self._subject(campaign, second)
            if subject is not None:
                self._move(action, campaign, *subject)

    def _move(self, action, campaign, org, staff):
        org = type(org).get_by_id(org.id)  # (closed or reopened since)
        try:
            if action == "submit":
                found, _, _ = workflow.save_draft(
                    campaign, org, staff, {"note": "да"}, expected_version=None,
                    user=self.user, refs=None,
                )  # fmt: skip
                if found.state in ("draft", "returned"):
                    workflow.submit(found, expected_version=None, user=self.user, refs=None)
                return
            found = workflow.find(campaign, org, staff)
            if found is None or found.state != "submitted":
                return
            if action == "accept":
                workflow.accept(found, user=self.user)
            else:
                workflow.return_for_revision(
                    found, reason="Уточните", field_comments={}, user=self.user
                )
        except workflow.WorkflowError:
            pass  # refused (block off, organisation closed…): nothing changes


def _report(api, scope, breakdown="children"):
    answer = api.as_("operator").get(
        "/api/v1/indicators",
        query_string={"scope": scope.id, "period": PERIOD, "breakdown": breakdown},
    )
    assert answer.status_code == 200, answer.json
    return answer.json


def _assert_within(body):
    units = {i["code"]: i["unit"] for i in body["indicators"]}
    for row in body["rows"]:
        for value in row["values"]:
            unit, numerator, denominator = (
                units[value["code"]],
                value.get("numerator"),
                value.get("denominator"),
            )
            where = (row["name"], value["code"], numerator, denominator)
            if value["status"] == "no_data":
                assert value.get("value") is None, where
                continue
            assert numerator >= 0, where
            if unit == "share":
                assert numerator <= denominator, where
                assert 0 <= value["value"] <= 100, where
            if unit == "ratio":
                assert denominator > 0, where


def _progress(api, campaign, scope):
    answer = api.as_("operator").get(
        f"/api/v1/campaigns/{campaign.id}/progress", query_string={"scope": scope.id}
    )
    assert answer.status_code == 200, answer.json
    return answer.json


def _assert_completeness_is_progress(api, scene):
    body = _report(api, scene.muni)
    figures = {
        row["organization_id"]: next(
            v for v in row["values"] if v["code"] == "campaign_completeness"
        )
        for row in body["rows"]
    }
    expected = {org_id: [0, 0] for org_id in figures}
    for campaign in scene.campaigns:
        progress = _progress(api, campaign, scene.muni)
        expected[scene.muni.id][0] += progress["submitted"]
        expected[scene.muni.id][1] += progress["total"]
        for child in progress["children"]:
            # Every unit with audience is a row (an organisation left the audience when
            # it closed, and closed ones are no rows).
            expected[child["organization_id"]][0] += child["submitted"]
            expected[child["organization_id"]][1] += child["total"]
    for org_id, value in figures.items():
        submitted, total = expected[org_id]
        assert value["numerator"] == submitted, (org_id, value, expected)
        if total:
            assert value["denominator"] == total, (org_id, value, expected)
        else:
            assert value["status"] == "no_data" and not value["denominator"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=worlds)
def test_every_share_stays_within_its_denominator(app, api, world, spec):
    with app.app_context(), database.connection_context():
        scene = Scene(world, spec)
        for action in spec["actions"]:
            scene.act(*action)
    _assert_within(_report(api, scene.muni))
    _assert_within(_report(api, world.region, "municipalities"))
    _assert_completeness_is_progress(api, scene)


def test_the_closed_school_that_had_submitted_leaves_both_figures(app, api, world):
    """The issue's case: two schools submit, one closes: 1 of 1, not 2 of 1 (200 %)."""
    with app.app_context(), database.connection_context():
        user = world.users["admin"]
        campaign = _campaign(_form("plain"), world.muni_b, user)
        for school in (world.b1, world.b2):
            found, _, _ = workflow.save_draft(
                campaign, school, None, {"note": "да"}, expected_version=None, user=user, refs=None
            )
            workflow.submit(found, expected_version=None, user=user, refs=None)
    closed = api.as_("admin").patch(f"/api/v1/organizations/{world.b2.id}", json={"active": False})
    assert closed.status_code == 200
    body = _report(api, world.muni_b)
    value = next(v for v in body["rows"][0]["values"] if v["code"] == "campaign_completeness")
    assert (value["numerator"], value["denominator"], value["value"]) == (1, 1, 100.0)
    assert value["status"] == "met"
    progress = _progress(api, campaign, world.muni_b)
    assert (progress["submitted"], progress["total"]) == (1, 1)
    with app.app_context(), database.connection_context():
        assert Submission.select().where(Submission.campaign == campaign).count() == 2
