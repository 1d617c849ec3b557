"""Typed cell writing and sheet names: text stays text, numbers stay numbers."""

import datetime as dt
import re

TYPES = ("text", "integer", "number", "percent", "date", "datetime", "boolean")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _BAD_SHEET_CHARS.sub(" ", title).strip().strip("'") or "Лист"
    name = base[:SHEET_NAME_MAX].strip()
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].strip() + suffix
        number += 1
    taken.add(name.lower())
    return name


def writer(kind: str, formats: dict):
    """A function (sheet, row, col, value) writing ``value`` as the column's type.

    Text goes through write_string, so "=HYPERLINK(...)", "+7", "-1", "@x"
    are stored as text and never evaluated; numbers through write_number.
    """
    if kind == "text":

        def write(sheet, row, col, value):
            if value is None or value == "":
                return
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            sheet.write_string(row, col, str(value))  # the default format: no per-cell cost

    elif kind in ("integer", "number", "percent"):
        fmt = formats[kind]

        def write(sheet, row, col, value):
            if isinstance(value, bool) or value is None:
                return
            if isinstance(value, int | float):
                sheet.write_number(row, col, value, fmt)
            else:
                sheet.write_string(row, col, str(value), formats["text"])

    elif kind in ("date", "datetime"):
        fmt = formats[kind]

        def write(sheet, row, col, value):
            if value is None:
                return
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    sheet.write_string(row, col, value, formats["text"])
                    return
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            sheet.write_datetime(row, col, value, fmt)

    elif kind == "boolean":

        def write(sheet, row, col, value):
            if value is None:
                return
            sheet.write_string(row, col, "да" if value else "нет", formats["text"])

    else:
        raise ValueError(f"unknown column type {kind!r}")
    return write


# --- indicator figures --------------------------------------------------------

# Headcounts as whole numbers, shares as percentages of the exact ratio the cell holds.
INDICATOR_FORMATS = {"count": "#,##0", "share": "0.0 %", "ratio": "0.0"}


def indicator_number(unit: str, numerator, denominator):
    """The exact figure a cell holds: a count as an int, a share or ratio as the unrounded
    numerator / denominator (a share as a fraction: the cell's % format shows 80.95 %)."""
    if unit == "count":
        if numerator is None:
            return None
        return int(numerator) if float(numerator).is_integer() else float(numerator)
    if not denominator:
        return None
    return float(numerator) / float(denominator)


def target_number(unit: str, target):
    """A target in the cell's units: percentage points of a share become a fraction."""
    if target is None:
        return None
    return float(target) / 100 if unit == "share" else target


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` characters (greedy, by words)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, 0
        used += len(word) if not used else len(word) + 1
        while used > width:  # a word longer than the line breaks anywhere
            lines, used = lines + 1, used - width
    return lines
