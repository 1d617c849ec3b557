"""Column declarations and cell parsers with Russian error messages."""

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from core.schemas.base import text_problem

YES = {"да", "yes", "true", "1", "+", "д"}
NO = {"нет", "no", "false", "0", "-", "н"}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any]
    required: bool = False
    example: Any = ""
    help: str = ""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


def text(max_length):
    def parse(value):
        value = str(value).strip()
        if problem := text_problem(value):
            raise ValueError(problem)
        if len(value) > max_length:
            raise ValueError(f"Не длиннее {max_length} символов.")
        return value

    return parse


def api_field(schema_class, name, before=lambda value: str(value).strip()):
    """A cell checked by the API's own field ``name`` of ``schema_class``: the same type,
    length, pattern and not-blank rule, and the same Russian message, for both paths."""
    field_obj = schema_class().fields[name]

    def parse(value):
        try:
            return field_obj.deserialize(before(value))
        except ValidationError as error:
            raise ValueError(" ".join(_texts(error.messages))) from None

    return parse


def _texts(messages):
    if isinstance(messages, str):
        yield messages
    elif isinstance(messages, dict):
        for item in messages.values():
            yield from _texts(item)
    else:
        for item in messages:
            yield from _texts(item)


def whole_number(value) -> int:
    """A cell holding a whole number: 1985, 1985.0, «1985», «1985,0» (not inf, not nan)."""
    try:
        number = float(str(value).strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        raise ValueError("Ожидалось целое число.") from None
    if not math.isfinite(number) or not number.is_integer():
        raise ValueError("Ожидалось целое число.")
    return int(number)


def year(value) -> int:
    """A year cell: a date's year or a whole number (its bounds are the API field's)."""
    if isinstance(value, dt.date):
        return value.year
    try:
        return whole_number(value)
    except ValueError:
        raise ValueError("Ожидался год числом, например 1985.") from None


def boolean(value):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError("Ожидалось «да» или «нет».")


def listing(value):
    """Values separated by ";" (or new lines) → a list without blanks."""
    parts = str(value).replace("\n", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


def choice(titles: dict):
    """Accept the Russian title or the code, case-insensitively; return the code."""
    lookup = {t.lower(): code for code, t in titles.items()}
    lookup.update({code.lower(): code for code in titles})

    def parse(value):
        code = lookup.get(str(value).strip().lower())
        if code is None:
            raise ValueError("Допустимые значения: " + "; ".join(titles.values()) + ".")
        return code

    return parse


CHECKED_EVERY = 1_000  # rows between two calls of parse_rows' ``checked``


def parse_rows(sheet, columns, checked=None) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Parse every cell; collect every problem instead of stopping at the first.

    Returns the rows that parsed cleanly (later checks run on them, so one
    report lists every problem) and the problems; a header problem (row 1)
    leaves no rows.  Rows are checked in chunks of CHECKED_EVERY, column by column;
    ``checked(rows so far)`` is called after each chunk (a background job's progress).
    """
    problems = list(getattr(sheet, "problems", []))  # cells the reader refused
    known = {c.header.lower(): c for c in columns}
    present = {h.lower() for h in sheet.headers if h}
    for column in columns:
        if column.required and column.header.lower() not in present:
            problems.append(Problem(1, column.header, "Нет обязательного столбца."))
    for header in sheet.headers:
        if header and header.lower() not in known:
            problems.append(Problem(1, header, "Неизвестный столбец."))
    if header_problems(problems):
        return [], problems
    # The file's own spelling of each column's header, found once (not per row).
    in_file = {h.lower(): h for h in sheet.headers if h}
    reading = [(in_file[c.header.lower()], c, {}) for c in columns if c.header.lower() in in_file]
    parsed = []
    for start in range(0, len(sheet.rows), CHECKED_EVERY):
        chunk = sheet.rows[start : start + CHECKED_EVERY]
        values, clean = [{} for _ in chunk], [True] * len(chunk)
        found = []
        for header, column, verdicts in reading:  # column by column: a tight loop
            _parse_column(chunk, header, column, verdicts, values, clean, found)
        found.sort(key=lambda p: p.row)  # stable: a row's problems in column order
        problems += found
        parsed += [
            (number, row) for (number, _), row, ok in zip(chunk, values, clean, strict=True) if ok
        ]
        if checked:
            checked(start + len(chunk))
    return parsed, problems


def _parse_column(chunk, header, column, verdicts, values, clean, problems, most=10_000):
    """Parse one column of ``chunk`` into ``values``; ``verdicts`` remembers each distinct
    cell's verdict for the whole file (positions, codes, years and categories repeat on
    thousands of rows; a list comes back as a fresh copy)."""
    key_out, parse = column.key, column.parse
    for index, (number, cells) in enumerate(chunk):
        value = cells.get(header)
        if value is None:
            if column.required:
                problems.append(Problem(number, column.header, "Обязательное поле не заполнено."))
                clean[index] = False
            continue
        key = value if type(value) is str else (type(value), value)  # 1 and True differ
        verdict = verdicts.get(key)
        if verdict is None:
            try:
                verdict = (True, parse(value))
            except ValueError as error:
                verdict = (False, str(error))
            if len(verdicts) < most:
                verdicts[key] = verdict
        ok, result = verdict
        if ok:
            values[index][key_out] = list(result) if type(result) is list else result
        else:
            problems.append(Problem(number, column.header, result))
            clean[index] = False


def header_problems(problems) -> bool:
    return any(p.row == 1 for p in problems)


def raw_values(sheet, header) -> set:
    """Every non-empty value of a column as text, bad rows included."""
    return {
        str(cells[h]).strip()
        for _, cells in sheet.rows
        for h in cells
        if h.lower() == header.lower() and cells[h] is not None
    }
