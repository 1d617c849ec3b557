"""Blank import templates: the header row, an example row and the allowed values."""

import io

import xlsxwriter

from core.importing import organizations, staff

KINDS = {"organizations": organizations.COLUMNS, "staff": staff.COLUMNS}


def template(kind: str) -> bytes:
    columns = KINDS[kind]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Данные")
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True}
    )
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, required if column.required else header)
        example = column.example
        if isinstance(example, int):
            sheet.write_number(1, index, example)
        else:
            sheet.write_string(1, index, str(example))
        sheet.set_column(index, index, max(16, len(column.header) + 2))
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("Пояснения")
    notes.write_string(0, 0, "Столбец", header)
    notes.write_string(0, 1, "Обязательный", header)
    notes.write_string(0, 2, "Пример", header)
    notes.write_string(0, 3, "Допустимые значения", header)
    notes.set_column(0, 0, 40)
    notes.set_column(2, 3, 40)
    for row, column in enumerate(columns, start=1):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, "да" if column.required else "нет")
        notes.write_string(row, 2, str(column.example))
        notes.write_string(row, 3, column.help)
    notes.write_string(len(columns) + 2, 0, "Строка 2 листа «Данные» — пример, замените её.")
    book.close()
    return buffer.getvalue()
