"""Write a declared export to an .xlsx file with the workbook conventions.

Title block (what, the scope by its level, the period in words, when, by whom), a bold
frozen header with an autofilter, column widths, typed cells, a print setup (landscape, one
page wide, the header repeated on every page) and the document's title and author.
xlsxwriter's constant_memory mode keeps memory flat: each row is flushed as soon as the
next one starts.
Past Excel's row limit a sheet continues on the next one, and the title
blocks say so.
"""

import datetime as dt
import math

import xlsxwriter

from core import clock
from exports.cells import sheet_name, writer
from forms import periods

EXCEL_MAX_ROWS = 1_048_576
HEADER_ROW = 5  # rows 0-4: the title block
A4 = 9  # xlsxwriter's paper code
SCOPE_LEVELS = {"region": "Регион", "hub": "Куст", "municipality": "Муниципалитет"}
QUARTERS = ("I", "II", "III", "IV")


def _formats(book):
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "meta": book.add_format({"italic": True, "font_color": "#555555"}),
        "header": book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": book.add_format({}),
        "integer": book.add_format({"num_format": "0"}),
        "number": book.add_format({"num_format": "0.00"}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": "dd.mm.yyyy"}),
        "datetime": book.add_format({"num_format": "dd.mm.yyyy hh:mm"}),
    }


def open_book(path):
    """A workbook that streams rows (constant memory) and never turns text into formulas."""
    return xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )


class SheetWriter:
    """Writes one declared sheet, continuing on new sheets past the row limit."""

    def __init__(self, book, formats, taken, title_lines, sheet_spec, max_rows, total=None):
        self.book, self.formats, self.taken = book, formats, taken
        self.title_lines = title_lines
        self.spec = sheet_spec
        self.columns = sheet_spec["columns"]
        self.writers = [writer(c.get("type", "text"), formats) for c in self.columns]
        self.capacity = max_rows - HEADER_ROW - 1
        self.parts = max(1, math.ceil(total / self.capacity)) if total else 1
        self.total = total
        self.part = 0
        self.names = []
        self.sheet = None
        self._open()

    def _open(self):
        self.part += 1
        title = self.spec["name"] if self.part == 1 else f"{self.spec['name']} ({self.part})"
        self.sheet = self.book.add_worksheet(sheet_name(title, self.taken))
        self.names.append(self.sheet.name)
        for index, line in enumerate(self.title_lines[: HEADER_ROW - 1]):
            fmt = self.formats["title"] if index == 0 else self.formats["meta"]
            self.sheet.write_string(index, 0, line, fmt)
        if self.parts > 1 or self.part > 1:
            more = "продолжение на следующем листе" if self.part < self.parts else "последняя часть"
            self.sheet.write_string(
                HEADER_ROW - 1,
                0,
                f"Часть {self.part} из {self.parts}: всего строк {self.total}, "
                f"на листе Excel не больше {EXCEL_MAX_ROWS} строк; {more}.",
                self.formats["meta"],
            )
        for col, column in enumerate(self.columns):
            self.sheet.set_column(col, col, column.get("width", 16))
            self.sheet.write_string(HEADER_ROW, col, column["header"], self.formats["header"])
        self.sheet.freeze_panes(HEADER_ROW + 1, 0)
        print_setup(self.sheet, HEADER_ROW, HEADER_ROW)
        self.row = HEADER_ROW + 1

    def _close_sheet(self):
        last = max(self.row - 1, HEADER_ROW)
        self.sheet.autofilter(HEADER_ROW, 0, last, len(self.columns) - 1)
        heat = [col for col, column in enumerate(self.columns) if column.get("heatmap")]
        if heat and last > HEADER_ROW:  # one colour scale over the block: white → red
            self.sheet.conditional_format(
                HEADER_ROW + 1,
                min(heat),
                last,
                max(heat),
                {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#F8696B"},
            )

    def add(self, values):
        if self.row - HEADER_ROW - 1 >= self.capacity:
            self._close_sheet()
            self._open()
        for col, value in enumerate(values):
            self.writers[col](self.sheet, self.row, col, value)
        self.row += 1

    def finish(self):
        self._close_sheet()


def scope_line(scope) -> str:
    """«Регион: …», «Куст: …», «Муниципалитет: …» or «Организация: …»."""
    return f"{SCOPE_LEVELS.get(scope.kind, 'Организация')}: {scope.name}"


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_title(start: dt.date | None, end: dt.date | None, fallback: str = "") -> str:
    """The period in words: «май 2026», «I квартал 2026», «2025/2026 учебный год», «2025 год»."""
    if start is None or end is None:
        return fallback
    if start.day == 1 and end == _month_end(end) and start.year == end.year:
        if start.month == end.month:
            return f"{periods.MONTHS[start.month - 1]} {start.year}"
        if end.month == start.month + 2 and start.month % 3 == 1:
            return f"{QUARTERS[start.month // 3]} квартал {start.year}"
    if (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1:
        return f"{start.year}/{end.year} учебный год"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and end.year == start.year:
        return f"{start.year} год"
    return fallback or f"{start:%d.%m.%Y} — {end:%d.%m.%Y}"


def author(ctx) -> str:
    return ctx.user.full_name if ctx.user else "система"


def title_lines(spec, ctx) -> list[str]:
    generated = clock.display(clock.now(), ctx.scope)  # local time, with its zone
    lines = [spec["title"], scope_line(ctx.scope)]
    period = period_title(ctx.period_start, ctx.period_end, ctx.period_label)
    if period:
        lines.append(f"Период: {period}")
    if ctx.campaign is not None:
        lines.append(f"Кампания: {ctx.campaign.title}")
    lines.append(f"Сформировано {generated}, {author(ctx)}")
    # Rows 0-3 of the title block; row 4 is kept for the continuation note.
    return lines if len(lines) <= HEADER_ROW - 1 else [*lines[:3], lines[-1]]


def print_setup(sheet, first_header_row=None, last_header_row=None) -> None:
    """Landscape A4, one page wide (as many pages tall as needed), the header rows repeated
    on every page, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    if first_header_row is not None:
        sheet.repeat_rows(first_header_row, last_header_row)
    sheet.set_footer("&CСтраница &P из &N")


def describe(book, spec, ctx) -> None:
    """Document properties: what the file is (title, subject) and who made it (author)."""
    period = period_title(ctx.period_start, ctx.period_end, ctx.period_label)
    book.set_properties(
        {
            "title": spec["title"],
            "subject": ", ".join(part for part in (scope_line(ctx.scope), period) if part),
            "author": author(ctx),
            "company": "metodnet",
        }
    )


def write_export(spec, ctx, path, *, progress=None, max_rows=EXCEL_MAX_ROWS, book=None):
    """Write every sheet of ``spec`` for ``ctx`` into ``path``; returns rows written."""
    own = book is None
    book = book or open_book(path)
    if own:
        describe(book, spec, ctx)
    formats = _formats(book)
    taken = {ws.name.lower() for ws in book.worksheets()}
    done = 0
    lines = title_lines(spec, ctx)
    sheets = spec["sheets"](ctx) if callable(spec["sheets"]) else spec["sheets"]
    for sheet_spec in sheets:
        total = sheet_spec["count"](ctx) if sheet_spec.get("count") else None
        sheet = SheetWriter(book, formats, taken, lines, sheet_spec, max_rows, total)
        for values in sheet_spec["rows"](ctx):
            sheet.add(values)
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done)
        sheet.finish()
    if own:
        book.close()
    if progress is not None:
        progress(done)
    return done
