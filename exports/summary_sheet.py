"""The «Сводка» sheet of the consolidated workbook.

Header (rows 5-8, repeated on every printed page): each indicator's title merged over its
three columns, the rule in words, the target for the period with its source, then the
column titles.  Below: the scope's total, hub subtotals, municipalities (``summary_rows``).
Cells hold exact figures (``cells.indicator_number``) under a display format.

xlsxwriter streams rows (constant_memory), so every row is written once, top to bottom,
and its height is set before it is left.
"""

from exports.cells import INDICATOR_FORMATS, indicator_number, target_number, wrapped_lines
from exports.indicators import STATUS_TITLES
from exports.targets import SOURCE_TITLES
from exports.workbook import print_setup, title_lines

INDICATOR_ROW, RULE_ROW, TARGET_ROW, COLUMNS_ROW = 5, 6, 7, 8
FIRST_ROW = COLUMNS_ROW + 1
NAME_WIDTH = 44
WIDTHS = (12, 11, 15)  # value, target, status
SPAN = sum(WIDTHS)
STATUS_COLOURS = {
    "met": "#C6EFCE",
    "not_met": "#FFC7CE",
    "no_data": "#EDEDED",
    "no_target": "#FFFFFF",
}
ROW_STYLES = {
    "total": {"bold": True, "bg_color": "#FFF2CC", "top": 2},
    "hub": {"bold": True, "bg_color": "#F2F2F2"},
    "outside": {"italic": True},
    "municipality": {},
}
OFF = "блок отключён"


def _number_text(value) -> str:
    return f"{float(value):g}".replace(".", ",")


def target_text(declaration, result) -> str:
    """«не менее 81 % (задано регионом)» or «не задана»."""
    target = result.get("target")
    if "numerator" not in result and target is None:
        return OFF
    if target is None:
        return "не задана"
    way = "не более" if declaration.get("direction") == "at_most" else "не менее"
    unit = " %" if declaration["unit"] == "share" else ""
    text = f"{way} {_number_text(target)}{unit}"
    source = result.get("target_source")
    if source:
        text += f" ({SOURCE_TITLES.get(source, source)})"
    return text


def _formats(book):
    def fmt(**props):
        return book.add_format(props)

    header = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
    formats = {
        "title": fmt(bold=True, font_size=14),
        "meta": fmt(italic=True, font_color="#555555"),
        "indicator": fmt(**header, align="center", valign="vcenter"),
        "rule": fmt(**{**header, "bold": False}, italic=True, font_size=9, valign="top"),
        "target": fmt(**{**header, "bold": False}, font_size=9, valign="top"),
        "column": fmt(**header, align="center", valign="vcenter"),
        "label": fmt(**header, valign="vcenter"),
    }
    for kind, style in ROW_STYLES.items():
        formats[kind, "name"] = fmt(**style, indent=1 if kind == "municipality" else 0)
        for unit, number_format in INDICATOR_FORMATS.items():
            formats[kind, unit] = fmt(**style, num_format=number_format)
        for status, colour in STATUS_COLOURS.items():
            formats[kind, status] = fmt(**{**style, "bg_color": colour}, border=1)
    return formats


def _header_row(sheet, row, label, texts, fmt, label_fmt, line_height):
    """One header row: the label in column A, each text merged over its indicator's columns."""
    lines = max([wrapped_lines(text, SPAN - 2) for text in texts] + [1])
    sheet.set_row(row, line_height * lines + 4)
    sheet.write_string(row, 0, label, label_fmt)
    for index, text in enumerate(texts):
        col = 1 + 3 * index
        sheet.merge_range(row, col, row, col + 2, text, fmt)


def write(book, ctx, declared, rows) -> tuple:
    """Write the sheet; returns (sheet, row index of each municipality)."""
    formats = _formats(book)
    sheet = book.add_worksheet("Сводка")
    for index, line in enumerate(title_lines({"title": "Сводная таблица показателей"}, ctx)):
        sheet.write_string(index, 0, line, formats["title"] if index == 0 else formats["meta"])
    sheet.set_column(0, 0, NAME_WIDTH)
    for index in range(len(declared)):
        for offset, width in enumerate(WIDTHS):
            sheet.set_column(1 + 3 * index + offset, 1 + 3 * index + offset, width)
    total = rows[0].results
    _header_row(sheet, INDICATOR_ROW, "Показатель", [d["title"] for d, _ in declared],
                formats["indicator"], formats["label"], 15)  # fmt: skip
    _header_row(sheet, RULE_ROW, "Как считается", [d.get("description", "") for d, _ in declared],
                formats["rule"], formats["label"], 12)  # fmt: skip
    targets = [target_text(d, result) for (d, _), result in zip(declared, total, strict=True)]
    _header_row(sheet, TARGET_ROW, "Цель на период", targets, formats["target"],
                formats["label"], 12)  # fmt: skip
    sheet.write_string(COLUMNS_ROW, 0, "Муниципалитет", formats["label"])
    for index in range(len(declared)):
        for offset, title in enumerate(("Значение", "Цель", "Статус")):
            sheet.write_string(COLUMNS_ROW, 1 + 3 * index + offset, title, formats["column"])
    sheet.freeze_panes(FIRST_ROW, 1)
    print_setup(sheet, INDICATOR_ROW, COLUMNS_ROW)
    # A hub's subtotal stands above its municipalities: the outline's button goes there too.
    sheet.outline_settings(True, False, True, False)

    placed = []
    for offset, summary_row in enumerate(rows):
        row = FIRST_ROW + offset
        kind = summary_row.kind
        if summary_row.level:
            sheet.set_row(row, None, None, {"level": summary_row.level})
        sheet.write_string(row, 0, summary_row.label, formats[kind, "name"])
        for index, ((declaration, _), result) in enumerate(
            zip(declared, summary_row.results, strict=True)
        ):
            _figure(sheet, row, 1 + 3 * index, declaration, result, formats, kind)
        if kind == "municipality":
            placed.append(row)
    last = FIRST_ROW + len(rows) - 1
    sheet.autofilter(COLUMNS_ROW, 0, max(last, COLUMNS_ROW), 3 * len(declared))
    return sheet, placed


def _figure(sheet, row, col, declaration, result, formats, kind):
    """Value, target and status of one indicator in one row."""
    unit = declaration["unit"]
    if "numerator" not in result:  # the block is off there
        sheet.write_string(row, col + 2, OFF, formats[kind, "no_data"])
        return
    value = indicator_number(unit, result["numerator"], result["denominator"])
    if value is None:
        sheet.write_blank(row, col, None, formats[kind, unit])
    else:
        sheet.write_number(row, col, value, formats[kind, unit])
    target = target_number(unit, result.get("target"))
    if target is None:
        sheet.write_blank(row, col + 1, None, formats[kind, unit])
    else:
        sheet.write_number(row, col + 1, target, formats[kind, unit])
    status = result["status"]
    sheet.write_string(row, col + 2, STATUS_TITLES[status], formats[kind, status])
