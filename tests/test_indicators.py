"""Indicators on a fixture computed by hand: values, numerators, denominators, targets, status."""

import datetime as dt

from core.db import database
from core.hookspecs import hookimpl
from core.models import StaffMember
from exports.context import ExportContext
from exports.indicators import evaluate
from tests import sample_plugin
from tests.conftest import Api, World
from tests.forms_fixtures import MONITORING, campaign_body


def report(api, who, scope, period="2024"):
    response = api.as_(who).get(
        "/api/v1/indicators", query_string={"scope": scope.id, "period": period}
    )
    assert response.status_code == 200, response.json
    return {
        row["name"]: {v["code"]: v for v in row["values"]} for row in response.json["rows"]
    }, response.json


def test_core_indicators_by_hand(api, world):
    # Anna (A1): born 1998, teaching since 2022. Oleg (B1): born 1970, since 1993.
    with database.connection_context():
        StaffMember.create(
            organization=world.a2,
            full_name="Смирнова Ольга",
            position="Методист",
            birth_year=1985,
            teaching_since=2010,
        )
    rows, body = report(api, "operator", world.region)
    assert [r["name"] for r in body["rows"]] == ["Регион Р", "Куст Х", "Муниципалитет А"]
    assert body["period_label"] == "2024 год"
    region = rows["Регион Р"]
    assert region["staff_count"] == {
        "code": "staff_count",
        "value": 3,
        "numerator": 3,
        "denominator": None,
        "target": None,
        "target_source": "declared",
        "status": "no_target",
    }
    # Under 35 in 2024: only Anna (26) of three.
    assert region["young_share"]["value"] == 33.33  # 1/3, two decimals
    assert (region["young_share"]["numerator"], region["young_share"]["denominator"]) == (1, 3)
    # First three years in 2024: Anna (2 years).
    assert region["first_years"]["value"] == 1
    # Two teachers for one methodist: 2.0, target at most 70: met.
    per = region["teachers_per_methodist"]
    assert (per["value"], per["numerator"], per["denominator"], per["target"], per["status"]) == (
        2.0,
        2,
        1,
        70,
        "met",
    )
    # No methodist in hub X: an empty denominator is "no data", not 0 or a crash.
    hub = rows["Куст Х"]
    assert hub["teachers_per_methodist"]["value"] is None
    assert hub["teachers_per_methodist"]["status"] == "no_data"
    assert hub["young_share"]["value"] == 0.0 and hub["young_share"]["denominator"] == 1
    # No campaigns in 2024: completeness has no data.
    assert region["campaign_completeness"]["status"] == "no_data"
    # In 2026 Anna is 28 and in her fifth year.
    later, _ = report(api, "operator", world.region, "2026")
    assert later["Регион Р"]["first_years"]["value"] == 0


def test_completeness_and_scope(api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = (
        api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    )
    url = f"/api/v1/campaigns/{campaign['id']}/submissions/{world.b1.id}"
    api.as_("coord_b1").put(url, json={"data": {"act_adopted": False, "pairs_total": 0}})
    assert api.as_("coord_b1").post(f"{url}/submit").status_code == 200
    period = campaign["period"][:4]
    rows, _ = report(api, "operator", world.region, period)
    # Audience: a1, a2 (kindergartens count: the default audience kinds), b1, b2 → 1 of 4.
    completeness = rows["Регион Р"]["campaign_completeness"]
    assert (completeness["numerator"], completeness["denominator"]) == (1, 4)
    assert completeness["value"] == 25.0 and completeness["status"] == "not_met"
    assert rows["Куст Х"]["campaign_completeness"]["value"] == 50.0
    mine, body = report(api, "methodist_a", world.muni_a, period)
    assert [r["name"] for r in body["rows"]] == ["Муниципалитет А", "Сад А2", "Школа А1"]
    assert mine["Муниципалитет А"]["campaign_completeness"]["value"] == 0.0
    assert (
        api.as_("methodist_a")
        .get("/api/v1/indicators", query_string={"scope": world.region.id})
        .status_code
        == 404
    )
    assert (
        api.as_("teacher_a1")
        .get("/api/v1/indicators", query_string={"scope": world.a1.id})
        .status_code
        == 403
    )
    bad = api.as_("operator").get(
        "/api/v1/indicators", query_string={"scope": world.region.id, "period": "весна"}
    )
    assert bad.status_code == 422 and "period" in bad.json["error"]["fields"]


def test_trajectory_targets():
    declaration = {
        "code": "coverage",
        "unit": "share",
        "compute": lambda ctx: (30, 100),
        "target": {2020: 5, 2021: 15, 2022: 25, 2023: 60, 2024: 100},
        "direction": "at_least",
    }

    class Scope:
        pass

    def at(year):
        import datetime as dt

        ctx = ExportContext(scope=Scope(), period_start=dt.date(year, 1, 1))
        return evaluate(declaration, ctx)

    assert (at(2022)["target"], at(2022)["status"]) == (25, "met")
    assert (at(2023)["target"], at(2023)["status"]) == (60, "not_met")
    assert at(2030)["status"] == "no_target"


def test_plugin_indicators_where_the_block_is_on(make_app):
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
    rows, body = report(api, "operator", world.region)
    assert "sample_indicator" in [i["code"] for i in body["indicators"]]
    assert rows["Муниципалитет А"]["sample_indicator"]["status"] == "not_met"  # 0 notes, target 1
    assert rows["Куст Х"]["sample_indicator"]["status"] == "no_data"  # the block is off there
    api.as_("methodist_a").post(
        f"/api/v1/sample/organizations/{world.a1.id}/notes", json={"text": "x"}
    )
    rows, _ = report(api, "operator", world.region)
    assert rows["Муниципалитет А"]["sample_indicator"]["status"] == "met"


def _young_by_path(ctx, paths):
    """Staff under 35 / active staff, per subtree, in one query."""
    from core.api.scoping import in_scopes
    from core.models import Organization
    from exports.indicators import by_path

    rows = (
        StaffMember.select(Organization.path, StaffMember.birth_year)
        .join(Organization)
        .where(in_scopes(Organization.path, ctx.subtrees), StaffMember.active == True)  # noqa: E712
        .tuples()
    )
    young = [(path, born > ctx.reference_year - 35, 1) for path, born in rows]
    return {path: tuple(figures) for path, figures in by_path(young, paths).items()}


class GroupedOnly:
    """A block whose indicator declares only compute_grouped."""

    DECLARATION = {
        "code": "grouped_young_share",
        "title": "Доля молодых педагогов",
        "unit": "share",
        "compute_grouped": _young_by_path,
        "target": 50,
        "description": "Моложе 35 лет / работающие педагоги.",
    }

    @hookimpl
    def plugin_info(self):
        return {"name": "grouped", "title": "Блок с групповым расчётом", "version": "1"}

    @hookimpl
    def register_indicators(self):
        return [self.DECLARATION]


def test_an_indicator_with_only_compute_grouped_gets_its_single_scope_figures(make_app):
    app = make_app(plugins=[GroupedOnly()])  # accepted at start-up without "compute"
    with app.app_context(), database.connection_context():
        world = World()
        StaffMember.create(
            organization=world.a2, full_name="Старшая", position="учитель", birth_year=1960
        )
        StaffMember.create(
            organization=world.b2, full_name="Молодой", position="учитель", birth_year=2000
        )
    api = Api(app.test_client(), world.tokens)

    def figures(value):
        return value["numerator"], value["denominator"], value["value"], value["status"]

    # On in B only: the region counts B (Oleg, 1970, and the young one of B2).
    api.as_("methodist_b").put(f"/api/v1/organizations/{world.muni_b.id}/plugins/grouped")
    rows, _ = report(api, "operator", world.region)
    assert figures(rows["Регион Р"]["grouped_young_share"]) == (1, 2, 50.0, "met")
    assert figures(rows["Куст Х"]["grouped_young_share"]) == (1, 2, 50.0, "met")
    assert rows["Муниципалитет А"]["grouped_young_share"]["status"] == "no_data"
    # Municipality A alone: Anna (1998) is young, the new colleague of A2 (1960) is not.
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/grouped")
    rows, _ = report(api, "methodist_a", world.muni_a)
    assert figures(rows["Муниципалитет А"]["grouped_young_share"]) == (1, 2, 50.0, "met")
    assert figures(rows["Школа А1"]["grouped_young_share"]) == (1, 1, 100.0, "met")
    assert figures(rows["Сад А2"]["grouped_young_share"]) == (0, 1, 0.0, "not_met")
    # The engine's single-scope figures are the same, on the subtrees where the block is on.
    with app.app_context(), database.connection_context():
        from exports.indicators import compute
        from exports.registry import enabled_paths

        region = ExportContext(
            scope=world.region,
            period_start=dt.date(2024, 1, 1),
            enabled_paths=enabled_paths(world.region, "grouped"),
        )
        assert compute(GroupedOnly.DECLARATION, region) == (2, 4)  # A and B now
        school = ExportContext(scope=world.a1, period_start=dt.date(2024, 1, 1))
        assert compute(GroupedOnly.DECLARATION, school) == (1, 1)
