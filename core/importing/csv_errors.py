"""Where and why Python's csv module refused a record, in Russian.

The module says only what went wrong; to name the column the record is scanned again
from its first line, the way the strict dialect reads it."""

import csv

from core.importing.limits import MAX_CELL, number

MESSAGES = {
    "unexpected end of data": "Кавычка открыта и не закрыта до конца файла.",
    "expected after": "После закрывающей кавычки ожидался разделитель.",
    "new-line character": "Символ возврата каретки (CR) внутри значения без кавычек.",
    "field larger than field limit": f"Значение длиннее {number(MAX_CELL)} символов.",
}


def message(error: csv.Error) -> str:
    text = str(error)
    for known, russian in MESSAGES.items():
        if known in text:
            return russian
    return "Строка не читается как CSV: проверьте кавычки и разделители."


def broken_record(text: str, start_line: int, delimiter: str, error) -> tuple[int, str]:
    """(index of the field where the record that starts at ``start_line`` breaks, why)."""
    record = text.split("\n", start_line)[-1] if start_line else text
    return _failed_field(record, delimiter), message(error)


def _failed_field(record: str, delimiter: str) -> int:
    field, length, quoted, i = 0, 0, False, 0
    while i < len(record):
        char, following = record[i], record[i + 1 : i + 2]
        if quoted and char == '"' and following == '"':
            i += 2  # an escaped quote
            length += 1
            continue
        if quoted and char == '"':
            quoted = False
            if following not in (delimiter, "\n", "\r", ""):
                return field  # text after the closing quote
        elif quoted:
            length += 1
        elif char == '"' and length == 0:
            quoted = True
        elif char == delimiter:
            field, length = field + 1, 0
        elif char == "\n":
            return field
        elif char == "\r" and following != "\n":
            return field  # a bare carriage return
        else:
            length += 1
        if length > MAX_CELL:
            return field
        i += 1
    return field  # the file ended inside the quote this field opened
