"""Deadlines and opening days in the region's time zone, with the server in another zone.

"Now" is frozen by monkeypatching ``core.clock.now``; the server process is put on
Honolulu time (UTC-10) so that neither its local date nor the UTC date can pass for the
region's."""

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

import pytest

from core import clock
from forms.models import Submission
from tests.forms_fixtures import MONITORING, campaign_body
from tests.test_submissions import save, url

OPENS, DEADLINE = dt.date(2026, 5, 11), dt.date(2026, 5, 31)


@pytest.fixture(autouse=True)
def server_in_honolulu():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Honolulu"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def at(monkeypatch, zone, day, hour, minute):
    """Freeze the clock at a local wall time of ``zone``."""
    instant = dt.datetime.combine(day, dt.time(hour, minute), ZoneInfo(zone))
    monkeypatch.setattr(clock, "now", lambda: instant.astimezone(dt.UTC))


def region_campaign(api, world, zone, accepts_late):
    changed = api.as_("admin").patch(
        f"/api/v1/organizations/{world.region.id}", json={"time_zone": zone}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["time_zone"] == zone
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    body = campaign_body(
        world.region.id,
        period="2026-05",
        opens_on=OPENS.isoformat(),
        deadline=DEADLINE.isoformat(),
        accepts_late=accepts_late,
    )
    response = api.as_("operator").post("/api/v1/campaigns", json=body)
    assert response.status_code == 201, response.json
    assert response.json["time_zone"] == zone
    return response.json


def valid_data(world):
    return {"act_adopted": True, "act_date": "2024-09-01", "pairs_total": 0}


def submit(api, campaign, world):
    return api.as_("coord_a1").post(url(campaign, world.a1, "/submit"), json={})


ZONES = ["Europe/Kaliningrad", "Asia/Kamchatka"]


@pytest.mark.parametrize("zone", ZONES)
def test_answers_at_2359_on_the_deadline_day_are_on_time(api, world, monkeypatch, zone):
    campaign = region_campaign(api, world, zone, accepts_late=False)
    at(monkeypatch, zone, DEADLINE, 23, 59)
    saved = save(api, campaign, world, valid_data(world))
    assert saved.status_code == 201, saved.json
    assert submit(api, campaign, world).status_code == 200
    row = Submission.get()
    assert (row.late, row.deadline_in_force) == (False, DEADLINE)


@pytest.mark.parametrize("zone", ZONES)
def test_answers_at_0001_the_next_day_are_refused(api, world, monkeypatch, zone):
    campaign = region_campaign(api, world, zone, accepts_late=False)
    at(monkeypatch, zone, DEADLINE, 12, 0)
    assert save(api, campaign, world, valid_data(world)).status_code == 201
    at(monkeypatch, zone, DEADLINE + dt.timedelta(days=1), 0, 1)
    refused = submit(api, campaign, world)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "deadline_passed"
    assert f"31.05.2026 23:59 ({zone})" in refused.json["error"]["message"]
    assert Submission.get().state == "draft"


@pytest.mark.parametrize("zone", ZONES)
def test_accepted_late_answers_are_flagged_from_0001(api, world, monkeypatch, zone):
    campaign = region_campaign(api, world, zone, accepts_late=True)
    at(monkeypatch, zone, DEADLINE + dt.timedelta(days=1), 0, 1)
    assert save(api, campaign, world, valid_data(world)).status_code == 201
    assert submit(api, campaign, world).status_code == 200
    assert Submission.get().late is True


@pytest.mark.parametrize("zone", ZONES)
def test_the_opening_day_starts_at_local_midnight(api, world, monkeypatch, zone):
    campaign = region_campaign(api, world, zone, accepts_late=False)
    at(monkeypatch, zone, OPENS - dt.timedelta(days=1), 23, 59)
    early = save(api, campaign, world, valid_data(world))
    assert early.status_code == 409 and early.json["error"]["code"] == "campaign_not_open"
    at(monkeypatch, zone, OPENS, 0, 1)
    assert save(api, campaign, world, valid_data(world)).status_code == 201


def test_a_municipality_in_another_zone_than_its_region(api, world, monkeypatch):
    # The region on Kaliningrad time, municipality A on Kamchatka time (10 hours ahead).
    for org, zone in ((world.region, "Europe/Kaliningrad"), (world.muni_a, "Asia/Kamchatka")):
        answer = api.as_("admin").patch(f"/api/v1/organizations/{org.id}", json={"time_zone": zone})
        assert answer.status_code == 200
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).status_code == 201
    body = campaign_body(
        world.muni_a.id, period="2026-05", opens_on=str(OPENS), deadline=str(DEADLINE)
    )
    campaign = api.as_("methodist_a").post("/api/v1/campaigns", json=body).json
    assert campaign["time_zone"] == "Asia/Kamchatka"
    # 23:59 in Kaliningrad on the deadline day is already the next morning in Kamchatka.
    at(monkeypatch, "Europe/Kaliningrad", DEADLINE, 23, 59)
    refused = save(api, campaign, world, valid_data(world))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "deadline_passed"
    assert api.as_("admin").get(f"/api/v1/organizations/{world.a1.id}").json["time_zone"] is None


def test_zone_is_validated_and_only_for_administrative_levels(api, world):
    bad = api.as_("admin").patch(
        f"/api/v1/organizations/{world.region.id}", json={"time_zone": "Europe/Tomsk"}
    )
    assert bad.status_code == 422
    assert "time_zone" in bad.json["error"]["fields"]
    school = api.as_("admin").patch(
        f"/api/v1/organizations/{world.a1.id}", json={"time_zone": "Asia/Tomsk"}
    )
    assert school.status_code == 422
    assert "time_zone" in school.json["error"]["fields"]
    assert (
        api.as_("admin").get(f"/api/v1/organizations/{world.region.id}").json["time_zone"]
        == "Europe/Moscow"
    )


def test_clock_helpers_show_the_zone():
    class Org:
        time_zone = "Asia/Kamchatka"

    instant = dt.datetime(2026, 5, 31, 11, 59)  # naive UTC as stored
    assert clock.display(instant, Org()) == "31.05.2026 23:59 (Asia/Kamchatka)"
    assert clock.date_at(instant, Org()) == dt.date(2026, 5, 31)
    assert clock.day_end(DEADLINE, Org()) == dt.datetime(2026, 5, 31, 12, 0, tzinfo=dt.UTC)


def test_the_review_pages_show_local_times_with_the_zone(api, world, monkeypatch):
    """Submitted at 23:59 Kamchatka time: the methodist's queue shows that wall time and
    names the zone, whatever the server's own zone (Honolulu); so does the history."""
    from tests.test_pages import sign_in

    campaign = region_campaign(api, world, "Asia/Kamchatka", accepts_late=False)
    at(monkeypatch, "Asia/Kamchatka", DEADLINE, 23, 59)
    assert save(api, campaign, world, valid_data(world)).status_code in (200, 201)
    assert submit(api, campaign, world).status_code == 200
    client = api.client
    sign_in(client, "methodist.a")
    shown = f"{DEADLINE:%d.%m.%Y} 23:59 (Asia/Kamchatka)"
    queue = client.get(f"/campaigns/{campaign['id']}/review")
    assert queue.status_code == 200 and shown in queue.text
    one = client.get(f"/campaigns/{campaign['id']}/review/{world.a1.id}")  # its history
    assert one.status_code == 200 and "(Asia/Kamchatka)</td>" in one.text
