"""Read a spreadsheet (xlsx or csv) into rows keyed by header."""

import csv
import io
from dataclasses import dataclass

from openpyxl import load_workbook


class ReadError(ValueError):
    pass


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {header: value})


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _build(raw_rows) -> Sheet:
    raw_rows = iter(raw_rows)
    try:
        header_row = next(raw_rows)
    except StopIteration:
        raise ReadError("Файл пуст.") from None
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    rows = []
    for number, values in enumerate(raw_rows, start=2):
        values = [_clean(v) for v in values]
        if all(v is None for v in values):
            continue  # blank lines are not rows
        rows.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    return Sheet(headers, rows)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("Не удалось прочитать CSV: ожидалась кодировка UTF-8 или Windows-1251.")


class _Semicolon(csv.excel):
    delimiter = ";"  # what Russian Excel writes


def read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:  # a single column: nothing to sniff
        dialect = _Semicolon
    return _build(csv.reader(io.StringIO(text), dialect))


def read_xlsx(data: bytes) -> Sheet:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ReadError(f"Не удалось открыть файл Excel: {error.__class__.__name__}.") from None
    try:
        return _build(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def read(filename: str, data: bytes) -> Sheet:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".csv"):
        return read_csv(data)
    raise ReadError("Поддерживаются файлы .xlsx и .csv.")
