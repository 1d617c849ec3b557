"""The consolidated regional workbook: «Сводка» (indicators for the scope's total, hub
subtotals and municipalities, ``exports.summary_sheet``), «Графики» (one chart per indicator
over the municipalities, one per printed page), then one sheet per export of every block
switched on in the scope."""

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from exports import summary_rows, summary_sheet
from exports.context import ExportContext
from exports.indicator_report import report
from exports.indicators import declarations
from exports.registry import LEVELS, enabled_paths
from exports.workbook import A4, describe, open_book, write_export

TITLE = "Сводная книга региона"
CHART_ROWS = 24  # rows per chart (and per printed page): 24 × 20 px = the chart's height
CHART_SIZE = {"width": 960, "height": 460}  # fits an A4 landscape page at 100 %


def _runs(rows):
    """Contiguous runs [(first, last)] of sorted sheet rows."""
    runs = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return runs


def chart_range(sheet, rows, col):
    """A chart range over ``rows`` of column ``col``: a union when hub subtotals interleave."""
    name = quote_sheetname(sheet)
    parts = [
        f"{name}!{xl_rowcol_to_cell(first, col, True, True)}:"
        f"{xl_rowcol_to_cell(last, col, True, True)}"
        for first, last in _runs(rows)
    ]
    return f"=({','.join(parts)})" if len(parts) > 1 else f"={parts[0]}"


def _charts(book, declared, sheet_name, placed):
    charts = book.add_worksheet("Графики")
    charts.set_landscape()
    charts.set_paper(A4)
    charts.set_footer("&CСтраница &P из &N")
    if not placed:
        return
    categories = chart_range(sheet_name, placed, 0)
    for index, (declaration, _) in enumerate(declared):
        col = 1 + 3 * index
        chart = book.add_chart({"type": "column"})
        values = chart_range(sheet_name, placed, col)
        chart.add_series({"name": "Значение", "categories": categories, "values": values})
        target = book.add_chart({"type": "line"})
        target.add_series(
            {
                "name": "Цель",
                "categories": categories,
                "values": chart_range(sheet_name, placed, col + 1),
                "line": {"color": "#C00000", "dash_type": "dash"},
            }
        )
        chart.combine(target)
        chart.set_title({"name": declaration["title"]})
        chart.set_y_axis({"num_format": summary_sheet.INDICATOR_FORMATS[declaration["unit"]]})
        chart.set_legend({"position": "bottom"})
        chart.set_size(CHART_SIZE)
        charts.insert_chart(index * CHART_ROWS, 0, chart, {"object_position": 3})
    # One chart per page: manual breaks (a "fit to page" setting would make Excel drop them).
    charts.set_h_pagebreaks([CHART_ROWS * index for index in range(1, len(declared))])


def write(ctx, registry, path, progress=None) -> int:
    """Write the workbook for ``ctx.scope`` (a region or hub) and ``ctx`` period."""
    book = open_book(path)
    describe(book, {"title": TITLE}, ctx)
    declared = declarations(registry, ctx.scope)
    municipalities = summary_rows.municipalities(ctx.scope)
    # One report for all municipalities: its query count does not grow with them.
    (_, scope_results), *unit_rows = report(
        declared,
        ctx.scope,
        [] if ctx.scope.kind == "municipality" else municipalities,
        period_start=ctx.period_start,
        period_end=ctx.period_end,
        period_label=ctx.period_label,
        user=ctx.user,
    )
    rows = summary_rows.tree(declared, ctx.scope, scope_results, unit_rows, ctx)
    sheet, placed = summary_sheet.write(book, ctx, declared, rows)
    if progress:
        progress(len(rows))
    _charts(book, declared, sheet.name, placed)

    written = len(municipalities)
    for declaration in registry.items("exports"):
        owner = registry.owner("exports", declaration["code"])
        paths = enabled_paths(ctx.scope, owner)
        if not paths or LEVELS[ctx.scope.kind] not in declaration["levels"]:
            continue
        plugin_ctx = ExportContext(
            scope=ctx.scope,
            user=ctx.user,
            period_start=ctx.period_start,
            period_end=ctx.period_end,
            period_label=ctx.period_label,
            enabled_paths=paths,
        )
        written += write_export(declaration, plugin_ctx, path, book=book)
    book.close()
    return written
