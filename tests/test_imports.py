"""All-or-nothing imports of organisations and staff, through the API and the CLI."""

import io

import openpyxl
import pytest
from click.testing import CliRunner

from core.cli import main
from core.db import database
from core.models import AuditEntry, Organization, StaffMember

ORG_CSV = """Код;Наименование;Краткое наименование;Тип;Код вышестоящей организации;Активна
c;Муниципалитет В;;муниципалитет;;да
c1;МБОУ «СОШ № 1»;СОШ 1;Школа;c;
c2;МБДОУ «Детский сад № 2»;;детский сад;c;нет
"""

STAFF_HEADER = (
    "Код организации;ФИО;Должность;Год рождения;Год начала педагогической деятельности;"
    "Предметы;Квалификационная категория;Управленческая команда;Методические объединения;"
    "Табельный номер;Работает\n"
)


def upload(api, who, kind, scope, content, filename="data.csv"):
    data = {"scope_id": str(scope.id), "file": (io.BytesIO(content), filename)}
    return api.as_(who).post(
        f"/api/v1/imports/{kind}", data=data, content_type="multipart/form-data"
    )


def org_codes():
    with database.connection_context():
        return sorted(o.code for o in Organization.select())


def test_import_organizations_csv(api, world):
    response = upload(api, "operator", "organizations", world.region, ORG_CSV.encode())
    assert response.status_code == 200, response.json
    assert response.json == {"created": 3, "updated": 0, "unchanged": 0}
    with database.connection_context():
        school = Organization.get(Organization.code == "c1")
        kindergarten = Organization.get(Organization.code == "c2")
        municipality = Organization.get(Organization.code == "c")
        assert school.parent_id == municipality.id
        assert municipality.parent_id == world.region.id
        assert school.kind == "school" and school.short_name == "СОШ 1"
        assert kindergarten.active is False
        assert school.path == f"{municipality.path}{school.id}/"
    again = upload(api, "operator", "organizations", world.region, ORG_CSV.encode())
    assert again.json == {"created": 0, "updated": 0, "unchanged": 3}


def test_children_before_parents_in_the_file(api, world):
    reordered = "\n".join([ORG_CSV.splitlines()[0], *reversed(ORG_CSV.splitlines()[1:])])
    response = upload(api, "operator", "organizations", world.region, reordered.encode("cp1251"))
    assert response.status_code == 200, response.json
    assert response.json["created"] == 3


def test_any_bad_row_imports_nothing_and_reports_every_problem(api, world):
    bad = ORG_CSV + "c3;;;замок;c;\nc4;Школа;;школа;нет-такой;\nc1;Повтор;;школа;c;\n"
    before = org_codes()
    response = upload(api, "operator", "organizations", world.region, bad.encode())
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "import_failed"
    problems = {(p["row"], p["column"]) for p in error["problems"]}
    assert {
        (5, "Наименование"),
        (5, "Тип"),
        (6, "Код вышестоящей организации"),
        (7, "Код"),
    } <= problems
    assert all(p["message"] for p in error["problems"])
    assert org_codes() == before


def test_missing_and_unknown_columns(api, world):
    response = upload(api, "operator", "organizations", world.region, "Код;Цвет\nx;red\n".encode())
    assert response.status_code == 422
    problems = {(p["column"], p["message"]) for p in response.json["error"]["problems"]}
    assert ("Наименование", "Нет обязательного столбца.") in problems
    assert ("Цвет", "Неизвестный столбец.") in problems


def test_import_needs_rights_in_scope(api, world):
    assert upload(api, "coord_a1", "organizations", world.a1, ORG_CSV.encode()).status_code == 403
    assert (
        upload(api, "methodist_b", "organizations", world.muni_a, ORG_CSV.encode()).status_code
        == 404
    )


def test_wrong_file_type(api, world):
    response = upload(api, "operator", "organizations", world.region, b"%PDF", "scan.pdf")
    assert response.status_code == 422
    assert response.json["error"]["fields"]["file"] == ["Поддерживаются файлы .xlsx и .csv."]
    broken = upload(api, "operator", "organizations", world.region, b"not a zip", "x.xlsx")
    assert broken.status_code == 422


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_staff_xlsx_creates_then_updates(api, world):
    header = STAFF_HEADER.strip().split(";")
    rows = [
        header,
        [
            "a1",
            "Орлова Вера Павловна",
            "учитель",
            1999,
            2023,
            "математика; информатика",
            "Без категории",
            "нет",
            "РМО учителей математики",
            "A-7",
            "да",
        ],
        [
            "a2",
            "Белова Инна Юрьевна",
            "воспитатель",
            1985,
            2008,
            None,
            "высшая",
            "да",
            None,
            None,
            None,
        ],
    ]
    response = upload(api, "methodist_a", "staff", world.muni_a, xlsx(rows), "staff.xlsx")
    assert response.status_code == 200, response.json
    assert response.json["created"] == 2
    with database.connection_context():
        orlova = StaffMember.get(StaffMember.code == "A-7")
        assert orlova.organization_id == world.a1.id
        assert orlova.subjects == ["математика", "информатика"]
        assert orlova.associations == ["РМО учителей математики"]
        belova = StaffMember.get(StaffMember.full_name == "Белова Инна Юрьевна")
        assert belova.category == "highest" and belova.is_management is True
    rows[1][4] = 2022  # corrected start year
    again = upload(api, "methodist_a", "staff", world.muni_a, xlsx(rows), "staff.xlsx")
    assert again.json == {"created": 0, "updated": 1, "unchanged": 1}
    with database.connection_context():
        assert StaffMember.get(StaffMember.code == "A-7").teaching_since == 2022
        assert AuditEntry.select().where(AuditEntry.action == "import_update").count() == 1


def test_staff_outside_scope_is_a_row_error(api, world):
    content = (
        STAFF_HEADER + "b1;Чужой Работник;учитель;1980;;;;;;;\n"
        "a1;Иванов Иван;учитель;тысяча;;;;;;;\n"
    ).encode()
    response = upload(api, "methodist_a", "staff", world.muni_a, content)
    assert response.status_code == 422
    problems = {(p["row"], p["column"]) for p in response.json["error"]["problems"]}
    assert problems == {(2, "Код организации"), (3, "Год рождения")}
    content = (STAFF_HEADER + "b1;Чужой Работник;учитель;1980;;;;;;;\n").encode()
    response = upload(api, "methodist_a", "staff", world.muni_a, content)
    assert response.json["error"]["problems"] == [
        {"row": 2, "column": "Код организации", "message": "Организация не найдена."}
    ]
    with database.connection_context():
        assert StaffMember.select().count() == 2


@pytest.mark.parametrize("kind", ["organizations", "staff"])
def test_templates_through_api_and_cli(api, tmp_path, kind):
    response = api.as_("coord_a1").get(f"/api/v1/imports/templates/{kind}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == ("Код" if kind == "organizations" else "Код организации")
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", kind, "-o", str(out)])
    assert result.exit_code == 0
    assert [c.value for c in openpyxl.load_workbook(out).worksheets[0][1]] == headers


def test_cli_import_with_report(app, world, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", app.config["DATABASE_URL"])
    good = tmp_path / "orgs.csv"
    good.write_text(ORG_CSV, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["import", "organizations", str(good), "--scope", "r"])
    assert result.exit_code == 0, result.output
    assert "created 3, updated 0, unchanged 0" in result.output
    bad = tmp_path / "staff.csv"
    bad.write_text(STAFF_HEADER + "c1;;учитель;1980;;;;;;;\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "staff", str(bad), "--scope", "r"])
    assert result.exit_code == 1
    assert "row 2, column «ФИО»: Обязательное поле не заполнено." in result.output
    unknown = runner.invoke(main, ["import", "staff", str(bad), "--scope", "zzz"])
    assert unknown.exit_code == 2
