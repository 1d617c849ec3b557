"""Home cards of the exports engine: the indicators off target where a methodist or the
regional operator works (the operator's by municipality), and a teacher's own profile and
portfolio."""

import datetime as dt

from flask import render_template, url_for
from markupsafe import Markup

from core.access import ROOT
from core.models import Organization
from core.plugin_access import registry
from exports import indicators
from exports.indicator_report import report, units
from exports.names import natural_key

WATCHERS = ("municipal_methodist", "regional_operator")
MAX_SCOPES = 3


def _scopes(principal) -> list[Organization]:
    paths = [p for p in principal.scopes("indicator.read") if p != ROOT][:MAX_SCOPES]
    if not paths:
        return []
    found = Organization.select().where(Organization.path.in_(paths))
    return sorted(found, key=lambda org: natural_key(org.name))


def off_target(principal, year=None) -> list[dict]:
    """Per scope: the indicators not met this year, and per municipality under a region or
    hub the number of its indicators not met (the same report as the dashboard)."""
    year = year or dt.date.today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    found = []
    for scope in _scopes(principal):
        declared = indicators.declarations(registry(), scope)
        below = units(scope, "municipalities") if scope.kind in ("region", "hub") else []
        (_, own), *rows = report(
            declared,
            scope,
            below,
            period_start=start,
            period_end=end,
            period_label=f"{year} год",
            user=principal.user,
        )
        titles = [d["title"] for (d, _), v in zip(declared, own, strict=True) if _missed(v)]
        by_unit = [(org, sum(map(_missed, values))) for org, values in rows]
        found.append(
            {
                "scope": scope,
                "missed": titles,
                "units": [(org, count) for org, count in by_unit if count],
            }
        )
    return found


def _missed(value) -> bool:
    return value.get("status") == "not_met"


def home_widgets(principal) -> list[dict]:
    cards = []
    if set(WATCHERS) & principal.roles:
        scopes = off_target(principal)
        if scopes:
            html = render_template("exports/widget_off_target.html", scopes=scopes)
            total = sum(len(s["missed"]) for s in scopes)
            cards.append(
                {"title": f"Показатели не в цели: {total}", "html": Markup(html), "order": 30}
            )
    if "teacher" in principal.roles and principal.staff_ids:
        staff_id = min(principal.staff_ids)
        html = Markup(
            '<ul><li><a href="{}">Мой профиль</a>: курсы, наставничество, диагностика</li>'
            '<li><a href="{}">Портфолио педагога</a> (Excel)</li></ul>'
        ).format(
            url_for("profile_pages.profile", staff_id=staff_id),
            url_for("profile_pages.portfolio", staff_id=staff_id),
        )
        cards.append({"title": "Мой профиль", "html": html, "order": 35})
    return cards
