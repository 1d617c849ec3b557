"""The indicators' rules, figures computed by hand: the status on the exact value, empty
denominators, staff of closed organisations, the region's methodist positions, the
descriptions every indicator carries."""

import datetime as dt

import pytest

from core.db import database
from core.hookspecs import hookimpl
from core.models import StaffMember
from core.plugins import PluginError
from exports.context import ExportContext
from exports.indicators import evaluate
from tests.test_pages import csrf, sign_in


def _at(figures, target, unit="share", direction="at_least"):
    declaration = {
        "code": "x",
        "unit": unit,
        "compute": lambda ctx: figures,
        "target": target,
        "direction": direction,
    }
    return evaluate(declaration, ExportContext(scope=None, period_start=dt.date(2025, 1, 1)))


def test_the_status_compares_the_exact_value_with_the_target():
    # 17 of 21 = 80.952… %: shown as 80.95, NOT met against 81 (rounded to 81.0 it was).
    close = _at((17, 21), 81)
    assert (close["value"], close["status"]) == (80.95, "not_met")
    assert close["exact"] == pytest.approx(100 * 17 / 21)
    # Exactly at the target: met.
    assert _at((81, 100), 81)["status"] == "met"
    assert _at((21, 21), 100)["status"] == "met"
    assert _at((20, 21), 95.24)["status"] == "not_met"  # 95.238… % < 95.24
    assert _at((20, 21), 95.23)["status"] == "met"
    # "At most": 140 teachers for 2 methodists = 70 meets 70; 141 / 2 = 70.5 does not.
    assert _at((140, 2), 70, "ratio", "at_most")["status"] == "met"
    over = _at((141, 2), 70, "ratio", "at_most")
    assert (over["value"], over["status"]) == (70.5, "not_met")
    # 211 / 3 = 70.333…: shown with two decimals.
    assert _at((211, 3), 70, "ratio", "at_most")["value"] == 70.33
    # An empty denominator is «нет данных», never 0 % and never a division error.
    for empty in ((0, 0), (0, None)):
        found = _at(empty, 60)
        assert (found["value"], found["exact"], found["status"]) == (None, None, "no_data")
    # A count compares itself.
    assert _at((1, None), 1, "count")["status"] == "met"
    assert _at((0, None), 1, "count")["status"] == "not_met"


def _report(api, who, scope, period="2024"):
    answer = api.as_(who).get(
        "/api/v1/indicators", query_string={"scope": scope.id, "period": period}
    )
    assert answer.status_code == 200, answer.json
    return {row["name"]: {v["code"]: v for v in row["values"]} for row in answer.json["rows"]}


def _figures(value):
    return value["numerator"], value["denominator"], value["value"], value["status"]


def test_staff_of_a_closed_organisation_count_nowhere(api, world):
    # Anna (A1): born 1998, teaching since 2022 — under 35 and in her first years in 2024.
    # Oleg (B1): born 1970.  A methodist in kindergarten A2.
    with database.connection_context():
        StaffMember.create(
            organization=world.a2, full_name="Методистова", position="методист", birth_year=1980
        )
    assert api.as_("methodist_a").put(
        f"/api/v1/organizations/{world.muni_a.id}/plugins/mentoring"
    ).status_code in (200, 201)
    before = _report(api, "operator", world.region)["Регион Р"]
    assert _figures(before["staff_count"])[0] == 3
    assert _figures(before["young_share"]) == (1, 3, 33.33, "no_target")
    assert _figures(before["teachers_per_methodist"]) == (2, 1, 2.0, "met")
    assert _figures(before["methodical_network_coverage"])[:2] == (0, 3)
    closed = api.as_("admin").patch(f"/api/v1/organizations/{world.a2.id}", json={"active": False})
    assert closed.status_code == 200
    after = _report(api, "operator", world.region)["Регион Р"]
    # Without A2's methodist: two teachers, no methodist → «нет данных».
    assert after["staff_count"]["value"] == 2
    assert _figures(after["young_share"]) == (1, 2, 50.0, "no_target")
    assert _figures(after["teachers_per_methodist"]) == (2, 0, None, "no_data")
    assert _figures(after["methodical_network_coverage"])[:2] == (0, 2)
    # Closing A1 takes Anna out of the young beginners: mentoring coverage has no data.
    mentoring = _report(api, "methodist_a", world.muni_a)["Муниципалитет А"]
    assert _figures(mentoring["mentoring_coverage"]) == (0, 1, 0.0, "not_met")
    api.as_("admin").patch(f"/api/v1/organizations/{world.a1.id}", json={"active": False})
    mentoring = _report(api, "methodist_a", world.muni_a)["Муниципалитет А"]
    assert _figures(mentoring["mentoring_coverage"]) == (0, 0, None, "no_data")
    assert mentoring["staff_count"]["value"] == 0


def test_which_positions_count_as_methodists_is_a_region_setting(app, api, world):
    with database.connection_context():
        for org, position in ((world.a2, "Старший МЕТОДИСТ"), (world.b2, "Куратор ШМО")):
            StaffMember.create(
                organization=org, full_name=position, position=position, birth_year=1980
            )
    url = f"/api/v1/organizations/{world.region.id}/settings/exports"
    assert api.as_("methodist_a").get(url).json == {"methodist_positions": "методист"}
    # By default any position containing «методист», whatever the case: 3 teachers / 1.
    per = _report(api, "operator", world.region)["Регион Р"]["teachers_per_methodist"]
    assert _figures(per) == (3, 1, 3.0, "met")
    # A municipality cannot change it; a blank list is refused and nothing changes.
    assert api.as_("methodist_a").put(url, json={"methodist_positions": "x"}).status_code == 403
    blank = api.as_("operator").put(url, json={"methodist_positions": " , "})
    assert blank.status_code == 422 and "methodist_positions" in blank.json["error"]["fields"]
    changed = api.as_("operator").put(url, json={"methodist_positions": "куратор, тьютор"})
    assert changed.status_code == 200, changed.json
    # Now the curator is the methodist and the senior methodist counts as a teacher: 3 / 1.
    per = _report(api, "operator", world.region)["Регион Р"]["teachers_per_methodist"]
    assert _figures(per) == (3, 1, 3.0, "met")
    hub = _report(api, "operator", world.region)["Куст Х"]["teachers_per_methodist"]
    assert _figures(hub) == (1, 1, 1.0, "met")  # Oleg for the curator of B2
    muni_a = _report(api, "operator", world.region)["Муниципалитет А"]["teachers_per_methodist"]
    assert _figures(muni_a) == (2, 0, None, "no_data")  # Anna and the senior methodist
    # The settings page shows the engine's settings beside the blocks'.
    client = app.test_client()
    sign_in(client, "operator")
    region_page = client.get(f"/settings/regions/{world.region.id}").get_data(as_text=True)
    assert "Показатели" in region_page
    page = client.get(f"/settings/regions/{world.region.id}/exports")
    assert "Должности методистов" in page.get_data(as_text=True)
    saved = client.post(
        f"/settings/regions/{world.region.id}/exports",
        data={"csrf_token": csrf(page), "methodist_positions": "методист"},
    )
    assert saved.status_code == 200
    assert api.as_("operator").get(url).json == {"methodist_positions": "методист"}


def test_every_indicator_describes_its_numerator_and_denominator(api, world):
    for block in ("mentoring", "diagnostics"):
        api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/{block}")
    body = (
        api.as_("operator").get("/api/v1/indicators", query_string={"scope": world.region.id}).json
    )
    assert len(body["indicators"]) == 13  # the core's 6, mentoring's 3, diagnostics' 4
    for indicator in body["indicators"]:
        assert len(indicator["description"]) > 40, indicator
    shares = [i for i in body["indicators"] if i["unit"] == "share"]
    assert all("числитель" in i["description"].lower() for i in shares)


class Undescribed:
    @hookimpl
    def plugin_info(self):
        return {"name": "mute", "title": "Блок без описания", "version": "1"}

    @hookimpl
    def register_indicators(self):
        return [{"code": "mute_count", "title": "Число", "unit": "count", "compute": len}]


def test_an_indicator_without_a_description_is_refused_at_startup(make_app):
    with pytest.raises(PluginError, match="'mute_count' needs a \"description\""):
        make_app(plugins=[Undescribed()])
