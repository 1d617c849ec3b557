"""Uploads that cannot exhaust the host, and hostile cells: 422 naming the limit or the
row and column, through the API and the CLI, and nothing imported.

The bombs are built here (bench/xlsx_bomb.py): the 1.45 MB workbook whose sheet inflates
to 1.1 GB is the one an outside probe sent (it once held a worker at 6 GB for minutes)."""

import io
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bench.xlsx_bomb import HEAD, sheet_bomb, xlsx_with_sheet
from core.cli import main
from core.db import database
from core.importing.limits import MAX_ROWS
from core.models import AuditEntry, Organization, StaffMember
from core.schemas.base import CONTROL_MESSAGE
from tests.test_imports import STAFF_HEADER

BOMB_MESSAGE = "Файл слишком большой: лист разворачивается в 1 100 МБ, допустимо не более 100 МБ."
ORG_HEADER = "Код;Наименование;Краткое наименование;Тип;Код вышестоящей организации;Активна\n"


def counts():
    with database.connection_context():
        return (
            Organization.select().count(),
            StaffMember.select().count(),
            AuditEntry.select().count(),
        )


def upload(api, world, content, filename="data.csv", kind="staff", scope=None):
    scope = scope or world.muni_a
    data = {"scope_id": str(scope.id), "file": (io.BytesIO(content), filename)}
    who = "methodist_a" if kind == "staff" else "operator"
    return api.as_(who).post(
        f"/api/v1/imports/{kind}", data=data, content_type="multipart/form-data"
    )


def refused(response) -> list[str]:
    assert response.status_code == 422, response.json
    return response.json["error"]["fields"]["file"]


def problems(response) -> set:
    assert response.status_code == 422, response.json
    return {(p["row"], p["column"], p["message"]) for p in response.json["error"]["problems"]}


def test_a_sheet_inflating_to_1_1_gb_is_refused_by_its_declared_size(api, world):
    bomb = sheet_bomb(1100)
    assert len(bomb) < 2 * 2**20
    before = counts()
    assert refused(upload(api, world, bomb, "staff.xlsx")) == [BOMB_MESSAGE]
    assert counts() == before


def test_refusing_the_bomb_stays_within_200_mb(tmp_path):
    """Measured in a fresh process: its peak resident size (VmHWM: ru_maxrss would carry
    over pytest's own through fork and exec), imports included."""
    script = (
        "from bench.xlsx_bomb import sheet_bomb\n"
        "from core.importing.readers import ReadError, read\n"
        "try:\n"
        "    read('bomb.xlsx', sheet_bomb(1100))\n"
        "except ReadError as error:\n"
        "    print(error)\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "print(int(status.split()[0]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    message, peak_kb = done.stdout.strip().splitlines()
    assert message == BOMB_MESSAGE
    assert int(peak_kb) < 200 * 1024


def test_a_part_compressed_like_a_bomb_is_refused(api, world):
    before = counts()
    messages = refused(upload(api, world, sheet_bomb(50), "staff.xlsx"))
    assert messages[0].startswith("Файл похож на архивную бомбу: часть «xl/worksheets/sheet1.xml»")
    assert messages[0].endswith("допустимо не более 200.")
    assert counts() == before


def test_a_declared_dimension_beyond_the_row_limit_is_refused_before_reading(api, world):
    head = HEAD.replace(b"<sheetData>", b'<dimension ref="A1:K300001"/><sheetData>')
    book = xlsx_with_sheet(b"", 0, head=head)
    message = refused(upload(api, world, book, "staff.xlsx"))
    assert message == [
        "Слишком много строк: допустимо не более 200 000 в одном файле. Разделите файл на части."
    ]


def test_rows_beyond_the_limit_are_counted_while_streaming(api, world):
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, MAX_ROWS + 3)
    )
    book = xlsx_with_sheet(rows, 1)  # no <dimension>: only reading finds out
    before = counts()
    assert refused(upload(api, world, book, "staff.xlsx"))[0].startswith("Слишком много строк")
    assert counts() == before


def test_too_many_columns(api, world):
    header = ";".join(f"Столбец {i}" for i in range(60)) + "\n"
    assert refused(upload(api, world, header.encode())) == [
        "Слишком много столбцов: допустимо не более 50."
    ]


def test_a_long_xlsx_cell_is_a_row_error(api, world):
    long_text = b"x" * 20_000
    cell = b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + long_text + b"</t></is></c></row>"
    header = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (col.encode(), h.encode())
        for col, h in zip("ABCD", STAFF_HEADER.split(";")[:4], strict=True)
    )
    book = xlsx_with_sheet(b'<row r="1">' + header + b"</row>" + cell, 1)
    found = problems(upload(api, world, book, "staff.xlsx"))
    assert (2, "ФИО", "Значение длиной 20 000 символов, допустимо не более 10 000.") in found


def test_a_lone_surrogate_in_an_xlsx_is_refused(api, world):
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&#55296;</t></is></c></row>'
    assert refused(upload(api, world, xlsx_with_sheet(cell, 1), "staff.xlsx")) == [
        "Не удалось прочитать файл Excel: файл повреждён или не является книгой xlsx (ParseError)."
    ]


STAFF_ROW = "a1;Орлова Вера;учитель;1990;;;;;;;\n"
NOT_A_YEAR = "Ожидался год числом, например 1985."


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("a1;" + "Я" * 5_000_000 + ";учитель;1990;;;;;;;\n", "ФИО",
         "Значение длиннее 10 000 символов."),
        ('a1;"Орлова Вера;учитель;1990;;;;;;;\n', "ФИО",
         "Кавычка открыта и не закрыта до конца файла."),
        ('a1;"Орлова" Вера;учитель;1990;;;;;;;\n', "ФИО",
         "После закрывающей кавычки ожидался разделитель."),
        ("a1;Орлова\rВера;учитель;1990;;;;;;;\n", "ФИО",
         "Символ возврата каретки (CR) внутри значения без кавычек."),
        ("a1;Орлова\x00Вера;учитель;1990;;;;;;;\n", "ФИО", CONTROL_MESSAGE),
        ("a1;Орлова Вера;учитель\x1b;1990;;;;;;;\n", "Должность", CONTROL_MESSAGE),
        ("a1;Орлова Вера;учитель;inf;;;;;;;\n", "Год рождения", NOT_A_YEAR),
        ("a1;Орлова Вера;учитель;nan;;;;;;;\n", "Год рождения", NOT_A_YEAR),
        ("a1;Орлова Вера;учитель;" + "9" * 9_000 + ";;;;;;;\n", "Год рождения",
         "Ожидался год числом, например 1985."),
        ("a1;Орлова Вера;учитель;1990;1e400;;;;;;\n", "Год начала педагогической деятельности",
         "Ожидался год числом, например 1985."),
        ("a1;Орлова Вера;учитель;1850;;;;;;;\n", "Год рождения",
         "Значение должно быть не меньше 1900 и не больше 2100."),
        ("a1;Орлова Вера;учитель;1990;;" + "ф" * 201 + ";;;;;\n", "Предметы",
         "Длина должна быть от 1 до 200."),
        ("../../x;Орлова Вера;учитель;1990;;;;;;;\n", "Код организации",
         "Код: буквы, цифры, точка, дефис; до 64 символов."),
        ("a1;\u00a0  \u2003;учитель;1990;;;;;;;\n", "ФИО", "Обязательное поле не заполнено."),
    ],
)  # fmt: skip
def test_hostile_csv_cells_are_row_errors(api, world, row, column, message):
    before = counts()
    response = upload(api, world, (STAFF_HEADER + STAFF_ROW + row).encode())
    assert (3, column, message) in problems(response)
    assert response.json["error"]["code"] == "import_failed"
    assert counts() == before


def test_duplicate_headers_are_refused_by_name(api, world):
    content = STAFF_HEADER.replace("Должность", "ФИО") + STAFF_ROW
    assert problems(upload(api, world, content.encode())) >= {
        (1, "ФИО", "Столбец повторяется: оставьте один.")
    }


def test_organisation_import_obeys_the_api_code_and_name_rules(api, world):
    content = ORG_HEADER + "../../x;Школа;;школа;;\nok-1;МБОУ;;школа;..\\y;\n"
    before = counts()
    found = problems(upload(api, world, content.encode(), kind="organizations", scope=world.region))
    code_rule = "Код: буквы, цифры, точка, дефис; до 64 символов."
    assert found == {(2, "Код", code_rule), (3, "Код вышестоящей организации", code_rule)}
    assert counts() == before


def test_cli_refuses_the_bomb_and_reports_a_broken_csv(app, world, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", app.config["DATABASE_URL"])
    before = counts()
    bomb = tmp_path / "staff.xlsx"
    bomb.write_bytes(sheet_bomb(1100))
    result = CliRunner().invoke(main, ["import", "staff", str(bomb), "--scope", "a"])
    assert result.exit_code == 1
    assert BOMB_MESSAGE in result.output
    broken = tmp_path / "staff.csv"
    broken.write_bytes((STAFF_HEADER + 'a1;"Орлова Вера;учитель;1990;;;;;;;\n').encode())
    result = CliRunner().invoke(main, ["import", "staff", str(broken), "--scope", "a"])
    assert result.exit_code == 1
    assert "row 2, column «ФИО»: Кавычка открыта и не закрыта до конца файла." in result.output
    assert counts() == before
