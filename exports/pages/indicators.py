"""The page «Показатели»: for a scope and a year, every indicator running there — value,
numerator and denominator, target and status, the rule in words, the last four years — and
the breakdown of one indicator by units (region → hubs → municipalities → organisations)
with a bar chart and drill-down links.

The same rule and functions as ``GET /api/v1/indicators``: ``scoping.organization`` with
``indicator.read`` (404 outside the scope, 403 without the right), ``indicators.declarations``
and ``indicator_report.report`` (queries that do not grow with the number of units).
"""

import datetime as dt

from flask import Blueprint, g, render_template, request, url_for
from wtforms import Form, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from core.api import scoping
from core.api.errors import ApiError
from core.plugin_access import registry
from core.web.session import login_required
from exports import indicators
from exports.context import parse_period
from exports.indicator_report import report, units
from exports.pages import charts
from exports.pages.scopes import scope_choices, with_current
from exports.registry import LEVELS
from exports.targets import SOURCE_TITLES

bp = Blueprint(
    "indicator_pages", __name__, url_prefix="/indicators", template_folder="../templates"
)
PERMISSION = "indicator.read"
TREND_YEARS = 4
BLOCK_OFF = "блок отключён"


class IndicatorFilter(Form):
    scope = SelectField("Организация", coerce=int, validate_choice=False)
    year = IntegerField(
        "Год",
        validators=[
            InputRequired("Укажите год."),
            NumberRange(2000, 2100, "Год должен быть от 2000 до 2100."),
        ],
    )

    class Meta:
        locales = ("ru_RU", "ru")


def menu_links(principal) -> list[dict]:
    if not principal.scopes(PERMISSION):
        return []
    return [{"href": url_for("indicator_pages.dashboard"), "label": "Показатели", "order": 60}]


def _scope(choices):
    wanted = request.args.get("scope", type=int)
    if wanted is None:
        if not choices:
            raise ApiError(403)
        wanted = choices[0].id
    return scoping.organization(wanted, PERMISSION)


def _year_report(declared, scope, rows_for, year):
    start, end, _, label = parse_period(str(year))
    return report(
        declared,
        scope,
        rows_for,
        period_start=start,
        period_end=end,
        period_label=label,
        user=g.principal.user,
    )


def _trend(declared, scope, year) -> dict[str, list[tuple[int, dict]]]:
    """{indicator code: [(year, value), ...]} for the last years up to ``year``."""
    found = {d["code"]: [] for d, _ in declared}
    for past in range(year - TREND_YEARS + 1, year + 1):
        (_, values), *_ = _year_report(declared, scope, [], past)
        for value in values:
            found[value["code"]].append((past, value))
    return found


def _cards(declared, own, trend):
    cards = []
    for (declaration, owner), value in zip(declared, own, strict=True):
        cards.append(
            {
                "declaration": declaration,
                "owner": owner,
                "value": value,
                "status": status_title(value),
                "trend": trend[declaration["code"]],
                "sparkline": charts.sparkline(declaration, trend[declaration["code"]]),
            }
        )
    return cards


def status_title(value) -> str:
    if "value" not in value:
        return BLOCK_OFF
    return indicators.STATUS_TITLES[value["status"]]


@bp.route("")
@login_required
def dashboard():
    choices = scope_choices(g.principal, PERMISSION)
    scope = _scope(choices)
    typed = request.args.copy()
    typed.setdefault("year", str(dt.date.today().year))
    typed["scope"] = str(scope.id)
    form = IndicatorFilter(typed)
    form.scope.choices = [(org.id, org.name) for org in with_current(choices, scope)]
    if not form.validate():
        return render_template("exports/indicators.html", form=form, scope=scope), 422
    year = form.year.data
    declared = indicators.declarations(registry(), scope)
    rows_for = units(scope, "children")
    (_, own), *unit_rows = _year_report(declared, scope, rows_for, year)
    codes = [d["code"] for d, _ in declared]
    chosen = request.args.get("indicator")
    chosen = chosen if chosen in codes else (codes[0] if codes else None)
    breakdown, chart = [], ""
    if chosen:
        index = codes.index(chosen)
        declaration = declared[index][0]
        breakdown = [
            {
                "org": org,
                "value": values[index],
                "status": status_title(values[index]),
                "drill": LEVELS[org.kind] != "organization",
            }
            for org, values in unit_rows
        ]
        chart = charts.bars(declaration, [(row["org"].name, row["value"]) for row in breakdown])
    return render_template(
        "exports/indicators.html",
        form=form,
        scope=scope,
        year=year,
        cards=_cards(declared, own, _trend(declared, scope, year)),
        chosen=chosen,
        chosen_declaration=declared[codes.index(chosen)][0] if chosen else None,
        breakdown=breakdown,
        chart=chart,
        sources=SOURCE_TITLES,
        shown=charts.shown,
    )
