"""Exports read back with openpyxl: headers, types, values, formula injection, exact scope."""

import io
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from core.db import database
from core.models import AuditEntry, StaffMember
from exports.cells import sheet_name
from exports.context import ExportContext
from exports.core_exports import STAFF
from exports.models import ExportJob
from exports.summary_sheet import FIRST_ROW, INDICATOR_ROW
from exports.workbook import HEADER_ROW, write_export
from tests import sample_plugin
from tests.conftest import Api, World
from tests.forms_fixtures import MONITORING, campaign_body

FIRST = HEADER_ROW + 2  # openpyxl rows are 1-based: the first data row


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=FIRST, values_only=True)]


def header(sheet):
    return [c.value for c in sheet[HEADER_ROW + 1]]


def test_organisations_register_is_exactly_the_scope(api, world):
    region = workbook(
        api.as_("operator").get(
            "/api/v1/exports/organizations", query_string={"scope": world.region.id}
        )
    )
    sheet = region["Организации"]
    assert sheet["A1"].value == "Реестр образовательных организаций"
    assert sheet["A2"].value == "Регион: Регион Р"
    assert header(sheet)[:4] == ["Код", "Полное наименование", "Краткое наименование", "Тип"]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 2}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW + 1}:")
    assert sheet.cell(HEADER_ROW + 1, 1).font.bold
    assert sorted(r[0] for r in rows(sheet)) == ["a", "a1", "a2", "b", "b1", "b2", "h", "r"]
    mine = workbook(
        api.as_("methodist_a").get(
            "/api/v1/exports/organizations", query_string={"scope": world.muni_a.id}
        )
    )
    assert sorted(r[0] for r in rows(mine["Организации"])) == ["a", "a1", "a2"]
    by_code = {r[0]: r for r in rows(mine["Организации"])}
    assert by_code["a1"][4] == "Муниципалитет А" and by_code["a1"][7] == "да"
    outside = api.as_("methodist_a").get(
        "/api/v1/exports/organizations", query_string={"scope": world.muni_b.id}
    )
    assert outside.status_code == 404
    with database.connection_context():
        entry = AuditEntry.get(AuditEntry.action == "export", AuditEntry.login == "methodist.a")
    assert entry.after["code"] == "organizations" and entry.after["rows"] == 3


def test_staff_register_types_and_formula_injection(api, world):
    with database.connection_context():
        StaffMember.create(
            organization=world.a1,
            full_name='=HYPERLINK("http://x","y")',
            position="+79001234567",
            birth_year=1990,
            teaching_since=2012,
            subjects=["-1", "@cmd"],
            code="t-9",
        )
    book = workbook(
        api.as_("coord_a1").get(
            "/api/v1/exports/staff", query_string={"scope": world.a1.id, "period": "2024"}
        )
    )
    sheet = book["Работники"]
    assert sheet["A3"].value == "Период: 2024 год"
    data = {r[0]: r for r in rows(sheet)}
    hostile = data['=HYPERLINK("http://x","y")']
    cell = next(c for c in sheet["A"] if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"  # text, never a formula
    assert hostile[4] == "+79001234567" and hostile[5] == "-1; @cmd"
    anna = data["Петрова Анна Ивановна"]
    assert anna[6] == 1998 and isinstance(anna[6], int)
    assert anna[7] == 26 and anna[8] == 2  # age and experience in 2024
    assert anna[10] == "нет" and anna[12] == "да"


def test_export_validation(api, world):
    bad_period = api.as_("operator").get(
        "/api/v1/exports/staff", query_string={"scope": world.region.id, "period": "весна"}
    )
    assert bad_period.status_code == 422
    assert "period" in bad_period.json["error"]["fields"]
    no_campaign = api.as_("operator").get(
        "/api/v1/exports/campaign_responses", query_string={"scope": world.region.id}
    )
    assert no_campaign.status_code == 422
    assert no_campaign.json["error"]["fields"] == {"campaign": ["Укажите кампанию."]}
    wrong_level = api.as_("coord_a1").get(
        "/api/v1/exports/campaign_progress", query_string={"scope": world.a1.id, "campaign": 1}
    )
    assert wrong_level.status_code == 422
    assert (
        api.as_("teacher_a1")
        .get("/api/v1/exports/staff", query_string={"scope": world.a1.id})
        .status_code
        == 403
    )
    listed = api.as_("operator").get("/api/v1/exports", query_string={"scope": world.region.id})
    codes = [e["code"] for e in listed.json["items"]]
    assert codes == [
        "organizations",
        "staff",
        "campaign_responses",
        "campaign_progress",
        "audit_results",
        "teacher_portfolio",
        "consolidated",
    ]


def test_campaign_responses_keep_columns_across_versions(api, world):
    v1 = {
        **MONITORING,
        "sections": [
            *MONITORING["sections"],
            {
                "title": "Доп.",
                "fields": [{"name": "retired", "type": "text", "label": "Удалённое поле"}],
            },
        ],
    }
    api.as_("operator").post("/api/v1/forms", json=v1)
    first = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    api.as_("coord_a1").put(
        f"/api/v1/campaigns/{first['id']}/submissions/{world.a1.id}",
        json={
            "data": {"retired": "было", "pairs_total": 2, "pairs": [{"mentor": world.staff_a1.id}]}
        },
    )
    assert api.as_("operator").post("/api/v1/forms", json=MONITORING).json["version"] == 2
    second = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    api.as_("coord_a1").put(
        f"/api/v1/campaigns/{second['id']}/submissions/{world.a1.id}",
        json={"data": {"pairs_total": 5}},
    )
    old = workbook(
        api.as_("operator").get(
            "/api/v1/exports/campaign_responses",
            query_string={"scope": world.region.id, "campaign": first["id"]},
        )
    )
    new = workbook(
        api.as_("operator").get(
            "/api/v1/exports/campaign_responses",
            query_string={"scope": world.region.id, "campaign": second["id"]},
        )
    )
    assert header(old["Ответы"]) == header(new["Ответы"])
    columns = header(new["Ответы"])
    assert "Версия формы" in columns and "Удалённое поле" in columns
    (row,) = rows(new["Ответы"])
    assert row[columns.index("Версия формы")] == 2
    assert row[columns.index("Удалённое поле")] is None
    assert row[columns.index("Всего пар")] == 5
    (old_row,) = rows(old["Ответы"])
    assert old_row[columns.index("Удалённое поле")] == "было"
    assert old_row[columns.index("Версия формы")] == 1
    (table_row,) = rows(old["Таблицы"])
    assert table_row[0] == old_row[0] and table_row[3] == 1
    assert "Петрова Анна Ивановна" in table_row


def test_campaign_progress_export(api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = (
        api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id)).json
    )
    api.as_("coord_a1").put(
        f"/api/v1/campaigns/{campaign['id']}/submissions/{world.a1.id}",
        json={"data": {"act_number": "1"}},
    )
    book = workbook(
        api.as_("methodist_b").get(
            "/api/v1/exports/campaign_progress",
            query_string={"scope": world.muni_b.id, "campaign": campaign["id"]},
        )
    )
    names = sorted(r[0] for r in rows(book["Ход сбора"]))
    assert names == ["Школа Б1", "Школа Б2"]  # never another municipality's rows
    region = workbook(
        api.as_("operator").get(
            "/api/v1/exports/campaign_progress",
            query_string={"scope": world.region.id, "campaign": campaign["id"]},
        )
    )
    states = {r[0]: r[2] for r in rows(region["Ход сбора"])}
    assert states["Школа А1"] == "Черновик" and states["Школа Б1"] == "не начата"


def test_rows_past_the_sheet_limit_continue_on_new_sheets(app, world, tmp_path):
    with app.app_context(), database.connection_context():
        for n in range(25):
            StaffMember.create(
                organization=world.a1,
                full_name=f"Работник {n:02d}",
                position="учитель",
                birth_year=1980,
            )
        ctx = ExportContext(scope=world.region, period_start=None)
        path = tmp_path / "staff.xlsx"
        written = write_export(STAFF, ctx, str(path), max_rows=HEADER_ROW + 11)
    assert written == 27
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Работники", "Работники (2)", "Работники (3)"]
    assert [len(rows(book[name])) for name in book.sheetnames] == [10, 10, 7]
    assert "Часть 1 из 3" in book["Работники"]["A5"].value
    assert header(book["Работники (3)"])[0] == "ФИО"


def test_sheet_names_follow_excel_rules():
    taken = set()
    assert sheet_name("Итоги: [май]/июнь?*", taken) == "Итоги   май  июнь"
    long = "Очень длинное название листа для выгрузки"
    assert sheet_name(long, taken) == long[:31].strip()
    assert sheet_name(long, taken) == long[:27].strip() + " (2)"
    assert all(len(n) <= 31 for n in taken)


def test_jobs_run_and_deliver_the_file(api, world):
    started = api.as_("operator").post(
        "/api/v1/exports/staff/jobs", query_string={"scope": world.region.id, "period": "2024"}
    )
    assert started.status_code == 202
    job = api.as_("operator").get(f"/api/v1/jobs/{started.json['id']}").json
    assert job["state"] == "done" and job["rows_done"] == 2
    book = workbook(api.as_("operator").get(f"/api/v1/jobs/{job['id']}/file"))
    assert len(rows(book["Работники"])) == 2
    assert api.as_("methodist_a").get(f"/api/v1/jobs/{job['id']}").status_code == 404


def test_a_failed_job_says_why(api, world, monkeypatch):
    import exports.running

    def explode(*args, **kwargs):
        raise RuntimeError("диск переполнен")

    monkeypatch.setattr(exports.running, "produce", explode)
    started = api.as_("operator").post(
        "/api/v1/exports/staff/jobs", query_string={"scope": world.region.id}
    )
    job = api.as_("operator").get(f"/api/v1/jobs/{started.json['id']}").json
    # The user reads a Russian reason; the exception and its traceback go to the log only.
    assert job["state"] == "failed" and job["error"].startswith("Выгрузка не сформирована")
    assert "диск переполнен" not in job["error"] and "Traceback" not in job["error"]
    not_ready = api.as_("operator").get(f"/api/v1/jobs/{job['id']}/file")
    assert not_ready.status_code == 409
    with database.connection_context():
        assert ExportJob.get_by_id(job["id"]).finished_at is not None


def test_cli_export(app, world, tmp_path, monkeypatch):
    from core.cli import main

    monkeypatch.setenv("METODNET_DATABASE_URL", app.config["DATABASE_URL"])
    out = tmp_path / "orgs.xlsx"
    result = CliRunner().invoke(main, ["export", "organizations", "--scope", "a", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 3 rows" in result.output
    assert len(rows(openpyxl.load_workbook(out)["Организации"])) == 3
    bad = CliRunner().invoke(
        main, ["export", "staff", "--scope", "a", "--period", "x", "-o", str(out)]
    )
    assert bad.exit_code == 2


@pytest.fixture
def plugin_world(make_app):
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
    return app, Api(app.test_client(), world.tokens), world


def test_plugin_exports_follow_activation(plugin_world):
    app, api, world = plugin_world
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
    api.as_("methodist_a").post(
        f"/api/v1/sample/organizations/{world.a1.id}/notes", json={"text": "План А"}
    )
    api.as_("methodist_b").put(f"/api/v1/organizations/{world.muni_b.id}/plugins/sample")
    api.as_("methodist_b").post(
        f"/api/v1/sample/organizations/{world.b1.id}/notes", json={"text": "План Б"}
    )
    api.as_("methodist_b").delete(f"/api/v1/organizations/{world.muni_b.id}/plugins/sample")
    book = workbook(
        api.as_("operator").get(
            "/api/v1/exports/sample_export", query_string={"scope": world.region.id}
        )
    )
    assert [r[1] for r in rows(book["Заметки"])] == ["План А"]  # B switched the block off
    off = api.as_("methodist_b").get(
        "/api/v1/exports/sample_export", query_string={"scope": world.muni_b.id}
    )
    assert off.status_code == 404


def test_consolidated_workbook(plugin_world):
    app, api, world = plugin_world
    api.as_("methodist_a").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/sample")
    api.as_("methodist_a").post(
        f"/api/v1/sample/organizations/{world.a1.id}/notes", json={"text": "План А"}
    )
    response = api.as_("operator").get(
        "/api/v1/exports/consolidated", query_string={"scope": world.region.id, "period": "2024"}
    )
    book = workbook(response)
    assert book.sheetnames == ["Сводка", "Графики", "Заметки"]
    summary = book["Сводка"]
    assert summary.cell(INDICATOR_ROW + 1, 2).value == "Численность педагогических работников"
    body = {r[0]: r for r in summary.iter_rows(min_row=FIRST_ROW + 1, values_only=True)}
    assert set(body) == {
        "Регион Р — итого", "Куст Х — итого по кусту", "Муниципалитет А", "Муниципалитет Б"
    }  # fmt: skip
    assert body["Муниципалитет А"][1] == 1 and body["Муниципалитет Б"][1] == 1
    titles = [c.value for c in summary[INDICATOR_ROW + 1]]
    plugin_col = titles.index("Число заметок")
    assert body["Муниципалитет А"][plugin_col + 2] == "достигнут"
    assert body["Муниципалитет Б"][plugin_col + 2] == "блок отключён"
    charts = [
        n for n in zipfile.ZipFile(io.BytesIO(response.data)).namelist() if "charts/chart" in n
    ]
    assert len(charts) == 7  # six core indicators and the block's one
    assert (
        api.as_("methodist_a")
        .get(
            "/api/v1/exports/consolidated",
            query_string={"scope": world.muni_a.id, "period": "2024"},
        )
        .status_code
        == 422
    )
