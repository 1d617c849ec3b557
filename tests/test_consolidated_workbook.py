"""The consolidated workbook read back with openpyxl, every figure computed by hand here:
exact values under display formats, totals as Σ numerators / Σ denominators, hub subtotals,
municipalities by proper name, labels, merged headers, print setup, document properties."""

import io
import statistics
import zipfile

import openpyxl
import pytest

from core import organizations as tree
from core.db import database
from core.models import StaffMember
from exports.consolidated import chart_range
from exports.indicators import CORE_INDICATORS
from exports.names import natural_key
from exports.summary_rows import OUTSIDE
from exports.summary_sheet import COLUMNS_ROW, FIRST_ROW, INDICATOR_ROW, RULE_ROW, TARGET_ROW

# openpyxl counts rows from 1, xlsxwriter from 0.
TITLES, RULES, TARGETS, COLUMNS, BODY = (
    row + 1 for row in (INDICATOR_ROW, RULE_ROW, TARGET_ROW, COLUMNS_ROW, FIRST_ROW)
)
YEAR = 2025  # "2025/2026": ages are counted in the period's first year


def _staff(org, total, young):
    """``total`` working teachers of ``org``, ``young`` of them under 35 in YEAR."""
    for number in range(total):
        StaffMember.create(
            organization=org,
            full_name=f"Педагог {org.code}-{number}",
            position="учитель",
            subjects=["история"],
            birth_year=YEAR - 25 if number < young else YEAR - 50,
            teaching_since=2000,
            code=f"{org.code}-{number}",
        )


@pytest.fixture
def region(world):
    """World's region R with municipality A (1 teacher, young) and, in hub H, municipality B
    (1 teacher, not young), plus four municipalities with tricky names."""
    with database.connection_context(), database.atomic():
        made = {
            "m10": ("муниципальное образование Город № 10", world.hub, 7, 3),
            "m2": ("МО Город № 2", world.hub, 21, 17),
            "klin": ("г.о. Клин", world.region, 5, 0),
            "asino": ("Асиновский район", world.region, 4, 2),
        }
        for code, (name, parent, total, young) in made.items():
            municipality = tree.create(kind="municipality", name=name, code=code, parent=parent)
            school = tree.create(kind="school", name=f"Школа {code}", code=f"s-{code}",
                                 parent=municipality)  # fmt: skip
            _staff(school, total, young)
    return world


def _export(api, scope_id, period="2025/2026", code="consolidated"):
    response = api.as_("operator").get(
        f"/api/v1/exports/{code}", query_string={"scope": scope_id, "period": period}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response, openpyxl.load_workbook(io.BytesIO(response.data))


def _column(sheet, title):
    """The value column of the indicator titled ``title`` (the first of its merged cells)."""
    for cell in sheet[TITLES]:
        if cell.value == title:
            return cell.column
    raise AssertionError(f"no indicator {title!r}")


def _rows(sheet):
    return {row[0].value: row for row in sheet.iter_rows(min_row=BODY) if row[0].value}


def test_figures_totals_and_order(api, region):
    _, book = _export(api, region.region.id)
    sheet = book["Сводка"]
    staff, young = (
        _column(sheet, "Численность педагогических работников"),
        _column(sheet, "Доля педагогов в возрасте до 35 лет"),
    )
    assert [row[0].value for row in sheet.iter_rows(min_row=BODY)] == [
        "Регион Р — итого",
        "Куст Х — итого по кусту",
        "МО Город № 2",
        "муниципальное образование Город № 10",
        "Муниципалитет Б",
        "Асиновский район",
        "г.о. Клин",
        "Муниципалитет А",
    ]
    rows = _rows(sheet)
    levels = {name: sheet.row_dimensions[row[0].row].outlineLevel for name, row in rows.items()}
    assert levels["МО Город № 2"] == 1 and levels["Муниципалитет Б"] == 1  # folded under H
    assert levels["г.о. Клин"] == levels["Куст Х — итого по кусту"] == 0

    # Headcounts: whole numbers with an integer format (857, not 857.0).
    m2 = rows["МО Город № 2"]
    assert m2[staff - 1].value == 21 and isinstance(m2[staff - 1].value, int)
    assert m2[staff - 1].number_format == "#,##0"
    # Shares: the exact ratio under a percent format, not 81.0 or 0.81.
    share = m2[young - 1]
    assert share.value == pytest.approx(17 / 21, abs=1e-14)
    assert abs(share.value - 0.81) > 1e-4 and share.value != round(share.value, 4)
    assert "%" in share.number_format and share.number_format.startswith("0.0")
    assert rows["г.о. Клин"][young - 1].value == 0
    assert rows["Муниципалитет А"][young - 1].value == 1

    # Hub H: B (1 teacher, 0 young), Город № 10 (7, 3), Город № 2 (21, 17).
    hub = rows["Куст Х — итого по кусту"]
    assert hub[staff - 1].value == 1 + 7 + 21
    assert hub[young - 1].value == pytest.approx((0 + 3 + 17) / (1 + 7 + 21), abs=1e-14)
    assert hub[staff - 1].font.b and hub[young - 1].number_format == share.number_format

    # Region: the hub's municipalities and A (1, 1), Клин (5, 0), Асиновский (4, 2).
    total = rows["Регион Р — итого"]
    numerators, denominators = [1, 0, 3, 17, 0, 2], [1, 1, 7, 21, 5, 4]
    assert total[staff - 1].value == sum(denominators) == 39
    assert total[young - 1].value == pytest.approx(23 / 39, abs=1e-14)
    pairs = zip(numerators, denominators, strict=True)
    average_of_shares = statistics.mean(n / d for n, d in pairs)
    assert total[young - 1].value != pytest.approx(average_of_shares, abs=1e-3)
    assert OUTSIDE not in rows  # every teacher works in a municipality

    # Status of the exact figure: "teachers per methodist" has a target (≤ 70), no methodist.
    per_methodist = _column(sheet, "Педагогов на одного методиста")
    assert total[per_methodist + 1].value == "нет данных"
    assert total[per_methodist].value == 70 and total[staff + 1].value == "цель не задана"


def test_header_labels_and_print_setup(api, region):
    response, book = _export(api, region.region.id)
    sheet = book["Сводка"]
    assert sheet["A1"].value == "Сводная таблица показателей"
    assert sheet["A2"].value == "Регион: Регион Р"
    assert sheet["A3"].value == "Период: 2025/2026 учебный год"

    young = _column(sheet, "Доля педагогов в возрасте до 35 лет")
    letter = openpyxl.utils.get_column_letter
    merged = {str(r) for r in sheet.merged_cells.ranges}
    for row in (TITLES, RULES, TARGETS):
        assert f"{letter(young)}{row}:{letter(young + 2)}{row}" in merged
    title = sheet.cell(TITLES, young)
    assert title.alignment.wrap_text and sheet.row_dimensions[TITLES].height >= 2 * 15
    rules = {d["title"]: d["description"] for d in CORE_INDICATORS}
    assert sheet.cell(RULES, young).value == rules["Доля педагогов в возрасте до 35 лет"]
    assert sheet.row_dimensions[RULES].height >= 2 * 12
    per_methodist = _column(sheet, "Педагогов на одного методиста")
    assert sheet.cell(TARGETS, per_methodist).value == "не более 70 (по умолчанию)"
    assert sheet.cell(TARGETS, young).value == "не задана"
    assert [c.value for c in sheet[COLUMNS]][:4] == ["Муниципалитет", "Значение", "Цель", "Статус"]

    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1 is the default, left out of the file), as many pages tall as needed.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"${TITLES}:${COLUMNS}"
    # Charts: one per printed page (manual breaks, which "fit to page" would cancel).
    charts = book["Графики"]
    indicators = sum(1 for c in sheet[TITLES][1:] if c.value)
    assert [b.id for b in charts.row_breaks.brk] == [24 * i for i in range(1, indicators)]
    assert not charts.sheet_properties.pageSetUpPr or not (
        charts.sheet_properties.pageSetUpPr.fitToPage
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    chart_xml = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    assert len(chart_xml) == indicators
    # Municipalities only: the hub's three and the region's own three, not the subtotals.
    assert f"<c:f>Сводка!$A${BODY + 2}:$A${BODY + 7}</c:f>" in chart_xml[0]

    assert book.properties.title == "Сводная книга региона"
    assert book.properties.creator == "operator"
    assert book.properties.subject == "Регион: Регион Р, 2025/2026 учебный год"


def test_hub_scope_and_period_words(api, region):
    _, book = _export(api, region.hub.id, period="2026-Q1")
    sheet = book["Сводка"]
    assert sheet["A2"].value == "Куст: Куст Х"
    assert sheet["A3"].value == "Период: I квартал 2026"
    assert [row[0].value for row in sheet.iter_rows(min_row=BODY)] == [
        "Куст Х — итого",
        "МО Город № 2",
        "муниципальное образование Город № 10",
        "Муниципалитет Б",
    ]
    # Every export: the scope by its level, the period in words, the print setup.
    _, book = _export(api, region.muni_a.id, period="2026-05", code="organizations")
    sheet = book["Организации"]
    assert (sheet["A2"].value, sheet["A3"].value) == ("Муниципалитет: Муниципалитет А",
                                                       "Период: май 2026")  # fmt: skip
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$6:$6"
    assert book.properties.title == "Реестр образовательных организаций"
    _, book = _export(api, region.a1.id, period="2025", code="organizations")
    assert book["Организации"]["A2"].value == "Организация: Школа А1"
    assert book["Организации"]["A3"].value == "Период: 2025 год"


def test_organisations_outside_municipalities_have_their_own_row(api, region):
    """A regional organisation counts in the region's total; its row keeps the table adding up."""
    with database.connection_context(), database.atomic():
        centre = tree.create(kind="additional", name="Областной центр", code="oc",
                             parent=region.region)  # fmt: skip
        _staff(centre, 2, 1)
    _, book = _export(api, region.region.id)
    sheet = book["Сводка"]
    young = _column(sheet, "Доля педагогов в возрасте до 35 лет")
    staff = _column(sheet, "Численность педагогических работников")
    rows = _rows(sheet)
    assert rows[OUTSIDE][staff - 1].value == 2
    assert rows[OUTSIDE][young - 1].value == pytest.approx(1 / 2)
    assert rows["Регион Р — итого"][staff - 1].value == 39 + 2
    assert rows["Регион Р — итого"][young - 1].value == pytest.approx((23 + 1) / (39 + 2))


def test_chart_ranges_skip_subtotal_rows():
    # Rows 11-12 and 14 (0-based) hold municipalities, row 13 a hub's subtotal.
    assert chart_range("Сводка", [11, 12, 14], 2) == "=(Сводка!$C$12:$C$13,Сводка!$C$15:$C$15)"
    assert chart_range("Сводка", [11, 12], 0) == "=Сводка!$A$12:$A$13"
    assert chart_range("Svod ka", [3], 1) == "='Svod ka'!$B$4:$B$4"


def test_natural_order_of_names():
    names = [
        "муниципальное образование Город № 10",
        "г.о. Клин",
        "Асиновский район",
        "МО Город № 2",
        "Ёлкинский муниципальный район",
        "Егорьевск",
        "Москва",
        "городской округ «Стрежевой»",
    ]
    assert sorted(names, key=natural_key) == [
        "Асиновский район",
        "МО Город № 2",
        "муниципальное образование Город № 10",
        "Егорьевск",
        "Ёлкинский муниципальный район",
        "г.о. Клин",
        "Москва",  # «МО» is a prefix only as a word
        "городской округ «Стрежевой»",
    ]
