"""The consolidated regional workbook: indicators by municipality with charts,
then one sheet per export of every block switched on in the scope."""

from core.models import Organization
from core.models.organization import in_subtree
from exports.context import ExportContext
from exports.indicator_report import report
from exports.indicators import STATUS_TITLES, declarations
from exports.registry import LEVELS, enabled_paths
from exports.workbook import HEADER_ROW, open_book, title_lines, write_export

STATUS_COLOURS = {
    "met": "#C6EFCE",
    "not_met": "#FFC7CE",
    "no_data": "#EDEDED",
    "no_target": "#FFFFFF",
}


def _municipalities(scope):
    if scope.kind == "municipality":
        return [scope]
    return list(
        Organization.select()
        .where(
            Organization.kind == "municipality",
            in_subtree(Organization.path, scope.path),
            Organization.active == True,  # noqa: E712
        )
        .order_by(Organization.name)
    )


def write(ctx, registry, path, progress=None) -> int:
    """Write the workbook for ``ctx.scope`` (a region or hub) and ``ctx`` period."""
    book = open_book(path)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 14})
    meta = book.add_format({"italic": True, "font_color": "#555555"})
    number = book.add_format({"num_format": "0.0"})
    status_formats = {
        k: book.add_format({"bg_color": c, "border": 1}) for k, c in STATUS_COLOURS.items()
    }
    indicators = declarations(registry, ctx.scope)
    municipalities = _municipalities(ctx.scope)

    summary = book.add_worksheet("Сводка")
    spec = {"title": "Сводная таблица показателей"}
    for row, line in enumerate(title_lines(spec, ctx)):
        summary.write_string(row, 0, line, title if row == 0 else meta)
    summary.set_column(0, 0, 32)
    # constant_memory writes rows in order: the indicator titles' row first, then the header.
    for index, (declaration, _) in enumerate(indicators):
        summary.write_string(HEADER_ROW - 1, 1 + 3 * index, declaration["title"], header)
    summary.write_string(HEADER_ROW, 0, "Муниципалитет", header)
    for index in range(len(indicators)):
        col = 1 + 3 * index
        summary.write_string(HEADER_ROW, col, "Значение", header)
        summary.write_string(HEADER_ROW, col + 1, "Цель", header)
        summary.write_string(HEADER_ROW, col + 2, "Статус", header)
        summary.set_column(col, col + 2, 13)
    summary.freeze_panes(HEADER_ROW + 1, 1)
    # One report for all municipalities: its query count does not grow with them.
    scope_row, *rows = report(
        indicators,
        ctx.scope,
        [] if ctx.scope.kind == "municipality" else municipalities,
        period_start=ctx.period_start,
        period_end=ctx.period_end,
        period_label=ctx.period_label,
        user=ctx.user,
    )
    for offset, (municipality, results) in enumerate(
        [scope_row] if ctx.scope.kind == "municipality" else rows
    ):
        row = HEADER_ROW + 1 + offset
        summary.write_string(row, 0, municipality.name)
        for index, result in enumerate(results):
            col = 1 + 3 * index
            if "value" not in result:  # the block is off there
                summary.write_string(row, col + 2, "блок отключён", status_formats["no_data"])
                continue
            if result["value"] is not None:
                summary.write_number(row, col, result["value"], number)
            if result["target"] is not None:
                summary.write_number(row, col + 1, result["target"], number)
            summary.write_string(
                row, col + 2, STATUS_TITLES[result["status"]], status_formats[result["status"]]
            )
        if progress:
            progress(offset + 1)
    last = HEADER_ROW + len(municipalities)
    summary.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), 3 * len(indicators))

    charts = book.add_worksheet("Графики")
    for index, (declaration, _) in enumerate(indicators):
        if not municipalities:
            break
        col = 1 + 3 * index
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "Значение",
                "categories": ["Сводка", HEADER_ROW + 1, 0, last, 0],
                "values": ["Сводка", HEADER_ROW + 1, col, last, col],
            }
        )
        target = book.add_chart({"type": "line"})
        target.add_series(
            {
                "name": "Цель",
                "categories": ["Сводка", HEADER_ROW + 1, 0, last, 0],
                "values": ["Сводка", HEADER_ROW + 1, col + 1, last, col + 1],
                "line": {"color": "#C00000", "dash_type": "dash"},
            }
        )
        chart.combine(target)
        chart.set_title({"name": declaration["title"]})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 900, "height": 360})
        charts.insert_chart(index * 19, 0, chart)

    rows = len(municipalities)
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
        rows += write_export(declaration, plugin_ctx, path, book=book)
    book.close()
    return rows
