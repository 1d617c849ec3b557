"""Targets of indicators per region and year: the status of a year uses that year's target
(a later change never rewrites a past year), set through the API, the page and the CLI,
audited, refused in Russian naming the field, guarded; the mentoring coverage target moves
from the block's settings to the targets on upgrade."""

import json

from peewee import Table

from core import migrator
from core.db import database
from core.models import AuditEntry, Organization
from core.plugin_access import migration_components
from exports import targets
from exports.targets import IndicatorTarget
from tests.access_fixtures import create_and_sign_in
from tests.test_core_pages import error_of, menu, signed_in, switch_on
from tests.test_pages import csrf

TOMSK = {"2020": 5, "2021": 15, "2022": 25, "2023": 60, "2024": 100}


def targets_url(world, code=None, year=None):
    url = f"/api/v1/regions/{world.region.id}/indicator-targets"
    return url + (f"/{code}" if code else "") + (f"/{year}" if year else "")


def region_figure(api, world, code, year):
    """The region's own row of GET /api/v1/indicators for ``year``, and the indicator's
    entry of the list (target and source for the year)."""
    report = api.as_("operator").get(
        "/api/v1/indicators", query_string={"scope": world.region.id, "period": str(year)}
    )
    assert report.status_code == 200, report.json
    [value] = [v for v in report.json["rows"][0]["values"] if v["code"] == code]
    [info] = [i for i in report.json["indicators"] if i["code"] == code]
    assert (info["target"], info["target_source"]) == (value["target"], value["target_source"])
    return value


def statuses(api, world, code, years):
    return {
        year: (f["value"], f["target"], f["target_source"], f["status"])
        for year in years
        for f in [region_figure(api, world, code, year)]
    }


def audit_entries():
    with database.connection_context():
        return list(
            AuditEntry.select()
            .where(AuditEntry.object_type == "indicator_target")
            .order_by(AuditEntry.id)
        )


def test_each_year_uses_its_own_target_and_a_change_never_rewrites_another(app, api, world):
    # The region's staff: Петрова (born 1998) is under 35 in 2024–2026, Сидоров (1970) is
    # not: 1 of 2 = 50 % every year.  The core declares no target for this share.
    years = (2024, 2025, 2026)
    assert statuses(api, world, "young_share", years) == {
        y: (50.0, None, "declared", "no_target") for y in years
    }
    put = api.as_("operator").put(
        targets_url(world, "young_share"),
        json={"targets": {"2024": 40, "2025": 60}, "reason": "план региона"},
    )
    assert put.status_code == 200, put.json
    assert put.json["targets"] == {"2024": 40, "2025": 60}
    assert statuses(api, world, "young_share", years) == {
        2024: (50.0, 40, "region", "met"),
        2025: (50.0, 60, "region", "not_met"),
        2026: (50.0, None, "declared", "no_target"),
    }
    # 2026 at exactly the value (a boundary: at least 50 is met), then 2025 lowered.
    assert api.as_("operator").put(
        targets_url(world, "young_share"), json={"targets": {"2026": 50}}
    ).json["targets"] == {"2024": 40, "2025": 60, "2026": 50}
    after_2026 = statuses(api, world, "young_share", years)
    assert after_2026[2024] == (50.0, 40, "region", "met")  # past years unchanged
    assert after_2026[2025] == (50.0, 60, "region", "not_met")
    assert after_2026[2026] == (50.0, 50, "region", "met")
    api.as_("operator").put(targets_url(world, "young_share"), json={"targets": {"2025": 45}})
    assert statuses(api, world, "young_share", years)[2025] == (50.0, 45, "region", "met")
    assert statuses(api, world, "young_share", years)[2024] == (50.0, 40, "region", "met")
    # A year cleared goes back to the declared default.
    cleared = api.as_("operator").delete(targets_url(world, "young_share", 2024))
    assert cleared.status_code == 200
    assert cleared.json["targets"] == {"2025": 45, "2026": 50}
    assert statuses(api, world, "young_share", years)[2024] == (50.0, None, "declared", "no_target")
    with app.app_context(), database.connection_context():  # the domain's own answer
        young = targets.declaration_of("young_share", world.region)
        assert targets.effective("young_share", young, world.region, 2025) == (45, "region")
        assert targets.effective("young_share", young, world.region, 2024) == (None, "declared")
    # A declared number: "at most 70 teachers per methodist", no methodist → no data.
    ratio = region_figure(api, world, "teachers_per_methodist", 2025)
    assert (ratio["target"], ratio["target_source"], ratio["status"]) == (70, "declared", "no_data")
    # Every change audited with the years before and after.
    entries = audit_entries()
    assert [e.action for e in entries] == ["update", "update", "update", "clear"]
    first = entries[0]
    assert first.before == {"indicator": "young_share", "targets": {"2024": None, "2025": None}}
    assert first.after == {
        "indicator": "young_share",
        "targets": {"2024": 40, "2025": 60},
        "reason": "план региона",
    }
    assert entries[2].before["targets"] == {"2025": 60}
    assert entries[2].after["targets"] == {"2025": 45}
    assert entries[3].before["targets"] == {"2024": 40}
    assert entries[3].after["targets"] == {"2024": None}
    assert {e.user_id for e in entries} == {world.users["operator"].id}
    assert {e.scope_path for e in entries} == {world.region.path}


def test_tomsk_staged_coverage_through_the_api(api, world):
    switch_on(api, world, "mentoring")
    put = api.as_("operator").put(
        targets_url(world, "mentoring_coverage"), json={"targets": TOMSK, "reason": "Томск"}
    )
    assert put.status_code == 200, put.json
    listing = api.as_("operator").get(targets_url(world), query_string={"year": 2023})
    [item] = [i for i in listing.json["items"] if i["code"] == "mentoring_coverage"]
    assert item["targets"] == TOMSK
    assert (item["declared"], item["target"], item["source"]) == (70, 60, "region")
    # The report for each year shows that year's step, and the default after the trajectory.
    for year, target in [(2020, 5), (2022, 25), (2024, 100)]:
        figure = region_figure(api, world, "mentoring_coverage", year)
        assert (figure["target"], figure["target_source"]) == (target, "region")
    figure = region_figure(api, world, "mentoring_coverage", 2025)
    assert (figure["target"], figure["target_source"]) == (70, "declared")
    # The methodist of a municipality reads the region's targets but cannot change them.
    readable = api.as_("methodist_a").get(targets_url(world))
    assert readable.status_code == 200
    assert {i["code"] for i in readable.json["items"]} >= {"mentoring_coverage", "young_share"}


def test_bad_targets_are_refused_naming_the_field_and_nothing_changes(api, world):
    cases = [
        ({"targets": {"2024": 150}}, "targets.2024", "от 0 до 100 %"),
        ({"targets": {"2024": -1}}, "targets.2024", "от 0 до 100 %"),
        ({"targets": {"1999": 50}}, "targets.1999", "от 2000 до 2100"),
        ({"targets": {"2101": 50}}, "targets.2101", "от 2000 до 2100"),
        ({"targets": {"двадцать": 50}}, "targets.двадцать", "не число"),
        ({"targets": {}}, "targets", "хотя бы один год"),
    ]
    for body, field, text in cases:
        refused = api.as_("operator").put(targets_url(world, "young_share"), json=body)
        assert refused.status_code == 422, (body, refused.json)
        assert text in refused.json["error"]["fields"][field][0], refused.json
    # One bad year refuses the whole trajectory.
    mixed = {"targets": {"2024": 40, "2025": 400}}
    assert api.as_("operator").put(targets_url(world, "young_share"), json=mixed).status_code == 422
    missing = api.as_("operator").put(targets_url(world, "young_share"), json={"reason": "x"})
    assert missing.status_code == 422 and "targets" in missing.json["error"]["fields"]
    unknown = api.as_("operator").put(
        targets_url(world, "no_such_indicator"), json={"targets": {"2024": 5}}
    )
    assert unknown.status_code == 404
    with database.connection_context():
        assert IndicatorTarget.select().count() == 0
    assert audit_entries() == []
    # A count is not a share: 150 teachers is a fine target.
    count = api.as_("operator").put(
        targets_url(world, "staff_count"), json={"targets": {"2024": 150}}
    )
    assert count.status_code == 200 and count.json["targets"] == {"2024": 150}


def test_only_the_regions_operator_and_the_admin_change_targets(api, world):
    body = {"targets": {"2024": 40}}
    for who in ("methodist_a", "coord_a1", "teacher_a1", "expert_a"):
        assert api.as_(who).put(targets_url(world, "young_share"), json=body).status_code == 403
        assert api.as_(who).delete(targets_url(world, "young_share", 2024)).status_code == 403
    other = api.as_("admin").post(
        "/api/v1/organizations", json={"kind": "region", "name": "Другой", "code": "o"}
    )
    grant = [{"role": "regional_operator", "scope_id": other.json["id"]}]
    create_and_sign_in(api, "admin", "other.operator", grant)
    assert api.as_("other.operator").get(targets_url(world)).status_code == 404
    refused = api.as_("other.operator").put(targets_url(world, "young_share"), json=body)
    assert refused.status_code == 404
    municipality = f"/api/v1/regions/{world.muni_a.id}/indicator-targets"
    assert api.as_("operator").get(municipality).status_code == 404  # not a region
    assert api.get(targets_url(world)).status_code == 401
    with database.connection_context():
        assert IndicatorTarget.select().count() == 0
    assert api.as_("admin").put(targets_url(world, "young_share"), json=body).status_code == 200


def test_the_page_records_tomsk_clears_a_year_and_shows_errors_next_to_the_field(app, api, world):
    switch_on(api, world, "mentoring")
    operator = signed_in(app, "operator")
    links = {label: href for href, label in menu(operator.get("/"))}
    assert links["Целевые значения"] == "/indicator-targets"
    page = operator.get("/indicator-targets", follow_redirects=True)
    assert page.request.path == f"/indicator-targets/regions/{world.region.id}"
    assert "Целевые значения показателей" in page.text
    assert "Доля молодых педагогов первых трёх лет" in page.text
    url = page.request.path
    trajectory = "2020=5 2021=15 2022=25 2023=60 2024=100"
    saved = operator.post(
        url,
        data={
            "csrf_token": csrf(page),
            "action": "set",
            "indicator": "mentoring_coverage",
            "targets": trajectory,
            "reason": "Томская траектория",
        },
    )
    assert saved.status_code == 200 and "Целевые значения сохранены" in saved.text
    with database.connection_context():
        rows = IndicatorTarget.select().where(IndicatorTarget.indicator == "mentoring_coverage")
        assert {str(r.year): r.value for r in rows} == TOMSK
    assert "<td>2023</td><td>60 %</td>" in saved.text
    # A wrong year and a share above 100: shown next to the field, what was typed kept.
    for typed, message in [("1999=5", "1999: Год должен быть от 2000 до 2100."),
                           ("2025=150", "2025: Значение должно быть от 0 до 100 %."),
                           ("2025:80", "ожидается ГОД=ЗНАЧЕНИЕ")]:  # fmt: skip
        refused = operator.post(
            url,
            data={
                "csrf_token": csrf(page),
                "action": "set",
                "indicator": "mentoring_coverage",
                "targets": typed,
            },
        )
        assert refused.status_code == 422
        assert message in error_of(refused, "mentoring_coverage-targets"), refused.text
        assert f'value="{typed}"' in refused.text
        assert "Целевые значения сохранены" not in refused.text
    cleared = operator.post(
        url,
        data={
            "csrf_token": csrf(page),
            "action": "clear",
            "indicator": "mentoring_coverage",
            "year": "2024",
        },
    )
    assert cleared.status_code == 200
    assert "Год 2024: возвращено значение по умолчанию" in cleared.text
    entries = audit_entries()
    assert [e.action for e in entries] == ["update", "clear"]
    assert entries[0].after["targets"] == TOMSK
    assert entries[0].after["reason"] == "Томская траектория"
    report = api.as_("operator").get(targets_url(world))
    [item] = [i for i in report.json["items"] if i["code"] == "mentoring_coverage"]
    assert item["targets"] == {k: v for k, v in TOMSK.items() if k != "2024"}


def test_a_methodist_reads_the_page_and_a_forged_post_is_refused(app, api, world):
    methodist = signed_in(app, "methodist.a")
    assert "Целевые значения" not in [label for _, label in menu(methodist.get("/"))]
    page = methodist.get(f"/indicator-targets/regions/{world.region.id}")
    assert page.status_code == 200
    assert "Численность педагогических работников" in page.text
    assert "Сохранить" not in page.text and 'name="targets"' not in page.text
    forged = methodist.post(
        f"/indicator-targets/regions/{world.region.id}",
        data={
            "csrf_token": csrf(page),
            "action": "set",
            "indicator": "young_share",
            "targets": "2024=10",
        },
    )
    assert forged.status_code == 403 and "Недостаточно прав" in forged.text
    with database.connection_context():
        assert IndicatorTarget.select().count() == 0


def test_the_command_sets_shows_and_clears(app, api, world):
    switch_on(api, world, "mentoring")
    runner = app.test_cli_runner()
    pairs = [f"{y}={v}" for y, v in TOMSK.items()]
    base = ["indicators", "targets"]
    where = ["--region", "r", "--indicator", "mentoring_coverage"]
    done = runner.invoke(args=[*base, "set", *where, *pairs, "--reason", "Томск"])
    assert done.exit_code == 0, done.output
    assert "2020=5 2021=15 2022=25 2023=60 2024=100" in done.output
    shown = runner.invoke(args=[*base, "show", "--region", "r", "--year", "2022"])
    assert shown.exit_code == 0, shown.output
    [line] = [row for row in shown.output.splitlines() if row.startswith("mentoring_coverage")]
    assert "по умолчанию: 70" in line and "2022: 25 (задано регионом)" in line
    refused = runner.invoke(args=[*base, "set", *where, "2030=101"])
    assert refused.exit_code != 0 and "от 0 до 100" in refused.output
    unknown = runner.invoke(args=[*base, "set", "--region", "r", "--indicator", "x", "2024=1"])
    assert unknown.exit_code != 0 and "--indicator" in unknown.output
    cleared = runner.invoke(args=[*base, "clear", *where, "2020", "2021"])
    assert cleared.exit_code == 0, cleared.output
    with database.connection_context():
        rows = IndicatorTarget.select().where(IndicatorTarget.indicator == "mentoring_coverage")
        assert sorted(r.year for r in rows) == [2022, 2023, 2024]
    entries = audit_entries()
    assert [(e.action, e.login) for e in entries] == [("update", "cli"), ("clear", "cli")]


def test_a_stored_coverage_target_becomes_this_years_target_on_upgrade(
    make_app, fresh_database_url
):
    import datetime as dt

    app = make_app(database_url=fresh_database_url, migrate=False)
    components = migration_components(app)
    with app.app_context(), database.connection_context():
        # The release before: the coverage target among the block's settings in the core.
        migrator.upgrade(components, until={"exports": 1, "mentoring": 2})
        region = Organization.create(kind="region", name="Р", code="r", path="/1/")
        other = Organization.create(kind="region", name="Д", code="d", path="/2/")
        settings = Table("block_setting", ("region_id", "plugin", "values", "changed_at"))
        stored = {"coverage_target": 100, "mentee_cap": 5}
        at = dt.datetime(2025, 1, 1)
        settings.bind(database).insert(
            [
                {
                    "region_id": region.id,
                    "plugin": "mentoring",
                    "values": json.dumps(stored),
                    "changed_at": at,
                },
                {
                    "region_id": other.id,
                    "plugin": "mentoring",
                    "values": json.dumps({"mentee_cap": 2}),
                    "changed_at": at,
                },
            ]  # fmt: skip
        ).execute()
        done = [(m.component, m.number) for m in migrator.upgrade(components)]
        assert done.index(("exports", 2)) < done.index(("mentoring", 3))
        rows = [
            (r.region_id, r.indicator, r.year, r.value, r.changed_by_id)
            for r in IndicatorTarget.select()
        ]
        assert rows == [(region.id, "mentoring_coverage", dt.date.today().year, 100, None)]
        from core import block_settings

        assert block_settings.read(region.id, "mentoring") == {"mentee_cap": 5}
        assert block_settings.read(other.id, "mentoring") == {"mentee_cap": 2}
