"""Campaign periods: month, quarter, school year, calendar year."""

import datetime as dt
import re

KINDS = {
    "month": "Месяц",
    "quarter": "Квартал",
    "school_year": "Учебный год",
    "year": "Календарный год",
}
FORMATS = {
    "month": ("ГГГГ-ММ", re.compile(r"^(\d{4})-(\d{2})$")),
    "quarter": ("ГГГГ-QN", re.compile(r"^(\d{4})-Q([1-4])$")),
    "school_year": ("ГГГГ/ГГГГ", re.compile(r"^(\d{4})/(\d{4})$")),
    "year": ("ГГГГ", re.compile(r"^(\d{4})$")),
}
MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


def _month_end(year, month):
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse(kind: str, text: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a period written as "2025-05", "2025-Q2", "2024/2025", "2025"."""
    shape, pattern = FORMATS[kind]
    match = pattern.match(text or "")
    if not match:
        raise ValueError(f"Период записывается как {shape}.")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError("Год периода должен быть между 2000 и 2100.")
    if kind == "month":
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError("Месяц от 01 до 12.")
        return dt.date(year, month, 1), _month_end(year, month)
    if kind == "quarter":
        quarter = int(match.group(2))
        first = 3 * (quarter - 1) + 1
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if kind == "school_year":
        if int(match.group(2)) != year + 1:
            raise ValueError("Учебный год — два соседних года, например 2024/2025.")
        return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def label(kind: str, start: dt.date) -> str:
    if kind == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if kind == "quarter":
        return f"{(start.month - 1) // 3 + 1} квартал {start.year}"
    if kind == "school_year":
        return f"{start.year}/{start.year + 1} учебный год"
    return f"{start.year} год"


def code(kind: str, start: dt.date) -> str:
    if kind == "month":
        return f"{start.year}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == "school_year":
        return f"{start.year}/{start.year + 1}"
    return str(start.year)


def reference_year(start: dt.date) -> int:
    """The year ages and experience are counted in for this period (its first year)."""
    return start.year
