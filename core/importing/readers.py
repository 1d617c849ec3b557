"""Read a spreadsheet (xlsx or csv) into rows keyed by header, within the limits.

A whole-file problem (not a spreadsheet, too many rows, a zip bomb) raises ReadError; a
problem of one cell (too long, a control character, a broken CSV quote) becomes a row-level
Problem in ``Sheet.problems`` and the row is left out, so one report lists them all."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import load_workbook

from core.importing import limits
from core.importing.columns import Problem
from core.importing.csv_errors import broken_record
from core.importing.limits import MAX_CELL, MAX_COLUMNS, MAX_ROWS, ReadError
from core.schemas.base import UNSTORABLE, text_problem

__all__ = ["ReadError", "Sheet", "read"]
BROKEN = "Не удалось прочитать файл Excel: файл повреждён или не является книгой xlsx"


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {header: value})
    problems: list[Problem] = field(default_factory=list)  # cells refused while reading


def _headers(header_row) -> list[str]:
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    while headers and not headers[-1]:
        headers.pop()  # an xlsx row padded with empty cells
    if len(headers) > MAX_COLUMNS:
        raise limits.too_many_columns()
    return headers


def _duplicates(headers) -> list[Problem]:
    seen, problems = set(), []
    for header in headers:
        if header and header.lower() in seen:
            problems.append(Problem(1, header, "Столбец повторяется: оставьте один."))
        seen.add(header.lower())
    return problems


def _cell(value, number, header, problems):
    """A cleaned cell value, or a Problem and None when no column could store it."""
    if not isinstance(value, str):
        return value
    if len(value) > MAX_CELL:
        problems.append(Problem(number, header, limits.too_long(len(value))))
        return None
    if problem := text_problem(value):
        problems.append(Problem(number, header, problem))
        return None
    return value.strip() or None


def _build(raw_rows: Iterable) -> Sheet:
    raw_rows = iter(raw_rows)
    try:
        headers = _headers(next(raw_rows))
    except StopIteration:
        raise ReadError("Файл пуст.") from None
    sheet = Sheet(headers, [], _duplicates(headers))
    for number, values in enumerate(raw_rows, start=2):
        if number - 1 > MAX_ROWS:
            raise limits.too_many_rows()
        if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
            raise limits.too_many_columns()
        if (cells := _clean_text_row(headers, values)) is not None:
            if cells:  # blank lines are not rows
                sheet.rows.append((number, cells))
            continue
        before = len(sheet.problems)
        cells = {}
        for header, value in zip(headers, values, strict=False):
            value = _cell(value, number, header or "—", sheet.problems)
            if header and value is not None:
                cells[header] = value
        if len(sheet.problems) == before and cells:  # blank lines are not rows
            sheet.rows.append((number, cells))
    return sheet


def _clean_text_row(headers, values) -> dict | None:
    """The cells of a row of texts without a single problem (a CSV record, nearly always),
    checked in one pass over the whole row; None sends the row to the cell-by-cell check."""
    try:
        joined = "\t".join(values)  # a tab is allowed in a cell: it cannot hide a problem
    except TypeError:  # numbers, dates or empty cells of an xlsx
        return None
    if UNSTORABLE.search(joined) or max(map(len, values), default=0) > MAX_CELL:
        return None
    stripped = (value.strip() for value in values)
    return {
        header: value for header, value in zip(headers, stripped, strict=False) if header and value
    }


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("Не удалось прочитать CSV: ожидалась кодировка UTF-8 или Windows-1251.")


class _Strict(csv.excel):
    """Excel's CSV (double quotes, "" inside them) with a refused broken quote instead of
    a swallowed rest of the file; only the delimiter is guessed."""

    delimiter = ";"  # what Russian Excel writes
    strict = True


def read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:  # a single column: nothing to sniff
        delimiter = ";"
    dialect = type("Sniffed", (_Strict,), {"delimiter": delimiter})
    failures = []
    sheet = _build(_records(text, dialect, failures))  # streamed: no list of every record
    for number, (index, message) in failures:
        header = sheet.headers[index] if index < len(sheet.headers) else "—"
        sheet.problems.append(Problem(number, header or "—", message))
    return sheet


def _records(text, dialect, failures):
    """The CSV's records; at the first one csv refuses, (its number, (field, why)) goes to
    ``failures`` and reading stops (the module cannot resume inside a broken record)."""
    reader = csv.reader(io.StringIO(text), dialect)
    count = 0
    while True:
        start = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            failures.append((count + 1, broken_record(text, start, dialect.delimiter, error)))
            return
        count += 1
        yield record


def read_xlsx(data: bytes) -> Sheet:
    limits.check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ReadError(f"{BROKEN} ({error.__class__.__name__}).") from None
    try:
        # One column past the limit is read, to tell a too-wide row from a full one.
        rows = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        return _build(rows)
    except ReadError:
        raise
    except Exception as error:  # a part that lies about its contents
        raise ReadError(f"{BROKEN} ({error.__class__.__name__}).") from None
    finally:
        book.close()


def read(filename: str, data: bytes) -> Sheet:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".csv"):
        return read_csv(data)
    raise ReadError("Поддерживаются файлы .xlsx и .csv.")
