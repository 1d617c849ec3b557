"""Server-rendered SVG charts of indicator values (our own markup: no script, no CDN): bars
per unit with the target as a dashed line, and a small trend of the last years.  Every
chart carries a text alternative; the page shows the same figures in a table."""

from markupsafe import Markup, escape

BAR, MET, NOT_MET, TARGET = "#1f4e79", "#2e7d32", "#a40000", "#1b1b1b"
LABEL_W, BAR_W, ROW_H = 230, 360, 24


def shown(value, unit) -> str:
    """81.0 → «81,0 %» for a share, 12.35 → «12,35» for a ratio, a count as a whole number;
    «—» for no value."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value:.1f} %".replace(".", ",")
    if unit == "ratio":
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def _colour(value) -> str:
    return {"met": MET, "not_met": NOT_MET}.get(value.get("status"), BAR)


def _scale(values, target) -> float:
    top = max([v for v in values if v is not None] + [target or 0, 0])
    return top or 1


def _short(name, limit=32) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def bars(declaration, rows) -> Markup:
    """Horizontal bars of (name, indicator value) with the target as a dashed line."""
    unit = declaration["unit"]
    target = next((v.get("target") for _, v in rows if v.get("target") is not None), None)
    top = _scale([v.get("value") for _, v in rows], target)
    height = ROW_H * len(rows) + 30
    width = LABEL_W + BAR_W + 90
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(declaration["title"])}: по подразделениям</title>',
    ]
    for i, (name, value) in enumerate(rows):
        y = 10 + i * ROW_H
        amount = value.get("value")
        length = 0 if amount is None else round(BAR_W * amount / top)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="{TARGET}">{escape(_short(name))}</text>'
            f'<rect x="{LABEL_W}" y="{y + 3}" width="{length}" height="{ROW_H - 8}" '
            f'fill="{_colour(value)}"><title>{escape(name)}: {shown(amount, unit)}</title></rect>'
            f'<text x="{LABEL_W + length + 4}" y="{y + 15}" font-size="12" fill="{TARGET}">'
            f"{shown(amount, unit)}</text>"
        )
    if target is not None:
        x = LABEL_W + round(BAR_W * target / top)
        parts.append(
            f'<line x1="{x}" y1="4" x2="{x}" y2="{height - 18}" stroke="{TARGET}" '
            f'stroke-dasharray="4 3"/><text x="{x}" y="{height - 4}" font-size="11" '
            f'text-anchor="middle" fill="{TARGET}">цель {shown(target, unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(declaration, trend) -> Markup:
    """Four small bars, one per year (years without data are empty)."""
    unit = declaration["unit"]
    values = [v.get("value") for _, v in trend]
    top = _scale(values, None)
    said = "; ".join(f"{year}: {shown(v.get('value'), unit)}" for year, v in trend)
    parts = [
        f'<svg class="sparkline" role="img" width="{22 * len(trend)}" height="34" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(said)}">'
    ]
    for i, (_, value) in enumerate(trend):
        amount = value.get("value")
        h = 0 if amount is None else max(1, round(30 * amount / top))
        parts.append(f'<rect x="{i * 22 + 3}" y="{32 - h}" width="16" height="{h}" fill="{BAR}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
