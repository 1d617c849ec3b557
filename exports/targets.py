"""Targets of indicators per region and year.

An indicator's declaration carries its default ("target": a number, a trajectory
{year: number}, or a callable ctx -> number reading a block's setting); a region may set its
own target for any indicator and year, one row per (region, indicator, year) — a trajectory
is just rows for several years.  The status of a year always uses that year's target, so a
change for 2026 never rewrites 2025.  The API, the page and the CLI call the functions here;
every change is audited (before/after).
"""

import datetime as dt

from peewee import CharField, DateTimeField, FloatField, ForeignKeyField, IntegerField

from core import audit
from core.db import database
from core.models import BaseModel, Organization, User, utcnow

DECLARED, REGION = "declared", "region"
SOURCE_TITLES = {DECLARED: "по умолчанию", REGION: "задано регионом"}
YEARS = (2000, 2100)
# Allowed target values per unit: a share is a percentage; counts and ratios are not negative.
RANGES = {"share": (0, 100), "count": (0, 10_000_000), "ratio": (0, 10_000)}


class IndicatorTarget(BaseModel):
    region = ForeignKeyField(Organization, on_delete="CASCADE", backref="+")
    indicator = CharField(max_length=64)
    year = IntegerField()
    value = FloatField()
    changed_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    changed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "indicator_target"
        indexes = ((("region", "indicator", "year"), True),)


class UnknownIndicator(LookupError):
    """No indicator of that code runs in the region."""


class TargetsRefused(ValueError):
    """Bad targets: ``fields`` maps a field ("targets.2024") to Russian messages."""

    def __init__(self, fields: dict):
        super().__init__(fields)
        self.fields = fields


def number(value):
    """60.0 → 60: targets are shown as typed."""
    return int(value) if value is not None and float(value).is_integer() else value


def _region_id(region) -> int:
    return getattr(region, "id", region)


def stored(region, code=None) -> dict:
    """{indicator code: {year: value}} the region set (one query)."""
    if region is None:
        return {}
    query = IndicatorTarget.select().where(IndicatorTarget.region == _region_id(region))
    if code is not None:
        query = query.where(IndicatorTarget.indicator == code)
    found = {}
    for row in query:
        found.setdefault(row.indicator, {})[row.year] = number(row.value)
    return found


def _context(region, year):
    from exports.context import ExportContext

    return ExportContext(
        scope=region, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31)
    )


def declared(declaration, year: int, ctx=None):
    """The declaration's default for ``year``: its number, its trajectory's year, or what its
    callable reads at ``ctx`` (a block's region setting)."""
    target = declaration.get("target")
    if callable(target):
        return number(target(ctx)) if ctx is not None else None
    if isinstance(target, dict):
        return number(target.get(year, target.get(str(year))))
    return number(target)


def effective(indicator_code, declaration, region, year, ctx=None) -> tuple:
    """(target, source) of the indicator in ``region`` for ``year``: the region's own
    target for that year ("region"), else the declared default ("declared")."""
    own = stored(region, indicator_code).get(indicator_code, {})
    if year in own:
        return own[year], REGION
    if ctx is None and callable(declaration.get("target")):
        ctx = _context(region if isinstance(region, Organization) else _org(region), year)
    return declared(declaration, year, ctx), DECLARED


def for_context(declaration, ctx) -> tuple:
    """(target, source) at an indicator context: the region's targets are read once per
    report (``ctx.remember``), whatever the number of units."""
    region_id = getattr(ctx.scope, "region_id", None)  # None: no region, the default
    own = ctx.remember(("exports.targets", region_id), lambda: stored(region_id))
    year = ctx.reference_year
    value = own.get(declaration["code"], {}).get(year)
    if value is not None:
        return value, REGION
    return declared(declaration, year, ctx), DECLARED


def _org(region_id) -> Organization:
    return Organization.get_by_id(region_id)


def declaration_of(code: str, region) -> dict:
    """The declaration of ``code`` among the indicators that run in ``region``."""
    from core.plugin_access import registry
    from exports.indicators import declarations

    for declaration, _ in declarations(registry(), region):
        if declaration["code"] == code:
            return declaration
    raise UnknownIndicator(code)


def checked(declaration, targets: dict) -> dict[int, float]:
    """{year: value} from {"2024": 60, ...}; raises TargetsRefused naming every bad year."""
    low, high = RANGES[declaration["unit"]]
    errors, clean = {}, {}
    if not targets:
        raise TargetsRefused({"targets": ["Укажите хотя бы один год и значение."]})
    for key, value in targets.items():
        name = f"targets.{key}"
        try:
            year = int(str(key).strip())
        except ValueError:
            errors[name] = [f"Год «{key}» — не число."]
            continue
        if not YEARS[0] <= year <= YEARS[1]:
            errors[name] = [f"Год должен быть от {YEARS[0]} до {YEARS[1]}."]
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors[name] = ["Значение должно быть числом."]
        elif not low <= value <= high:
            unit = " %" if declaration["unit"] == "share" else ""
            errors[name] = [f"Значение должно быть от {low} до {high}{unit}."]
        else:
            clean[year] = float(value)
    if errors:
        raise TargetsRefused(errors)
    return clean


def parse_pairs(tokens) -> dict:
    """{"2020": 5.0, ...} from "2020=5 2021=15,5" (a text or a list of words, as the page
    and the command take them); a decimal comma is accepted."""
    if isinstance(tokens, str):
        tokens = tokens.replace(";", " ").split()
    found = {}
    for token in tokens:
        year, sep, value = token.partition("=")
        try:
            if not sep:
                raise ValueError
            found[year.strip()] = float(value.strip().replace(",", "."))
        except ValueError:
            raise TargetsRefused(
                {"targets": [f"«{token}»: ожидается ГОД=ЗНАЧЕНИЕ, например 2024=60."]}
            ) from None
    return found


def _audit(action, region, code, before, after, user, reason, login):
    audit.record(
        action,
        user=user,
        login=login,
        object_type="indicator_target",
        scope_path=region.path,
        before={"indicator": code, "targets": before},
        after={"indicator": code, "targets": after, "reason": reason},
    )


def set_targets(region, indicator_code, targets: dict, user=None, reason="", login=None):
    """Store the region's targets of the indicator for the given years (others untouched);
    refused as a whole (TargetsRefused) when one is wrong.  Returns {year: value}."""
    declaration = declaration_of(indicator_code, region)
    clean = checked(declaration, targets)
    with database.atomic():
        own = stored(region, indicator_code).get(indicator_code, {})
        for year, value in clean.items():
            row = IndicatorTarget.get_or_none(
                IndicatorTarget.region == region,
                IndicatorTarget.indicator == indicator_code,
                IndicatorTarget.year == year,
            ) or IndicatorTarget(region=region, indicator=indicator_code, year=year)
            row.value, row.changed_by, row.changed_at = value, user, utcnow()
            row.save()
        before = {str(y): own.get(y) for y in sorted(clean)}
        after = {str(y): number(v) for y, v in sorted(clean.items())}
        _audit("update", region, indicator_code, before, after, user, reason, login)
        return stored(region, indicator_code).get(indicator_code, {})


def clear(region, indicator_code, years, user=None, reason="", login=None) -> dict:
    """Back to the declared default for ``years``; returns the region's remaining targets."""
    declaration_of(indicator_code, region)
    years = sorted({int(y) for y in years})
    with database.atomic():
        own = stored(region, indicator_code).get(indicator_code, {})
        IndicatorTarget.delete().where(
            IndicatorTarget.region == region,
            IndicatorTarget.indicator == indicator_code,
            IndicatorTarget.year.in_(years),
        ).execute()
        before = {str(y): own.get(y) for y in years}
        _audit("clear", region, indicator_code, before, dict.fromkeys(before), user, reason, login)
        return stored(region, indicator_code).get(indicator_code, {})


def listing(region, year: int) -> list[dict]:
    """Every indicator running in the region: its declared default, the region's years and
    the target in force for ``year`` with its source."""
    from core.plugin_access import registry
    from exports.indicators import declarations

    own = stored(region)
    ctx = _context(region, year)
    items = []
    for declaration, owner in declarations(registry(), region):
        code = declaration["code"]
        default = declaration.get("target")
        years = own.get(code, {})
        target, source = (
            (years[year], REGION) if year in years else (declared(declaration, year, ctx), DECLARED)
        )
        items.append(
            {
                "code": code,
                "title": declaration["title"],
                "unit": declaration["unit"],
                "direction": declaration.get("direction", "at_least"),
                "plugin": owner,
                "declared": declared(declaration, year, ctx),
                "declared_trajectory": (
                    {str(y): number(v) for y, v in sorted(default.items(), key=str)}
                    if isinstance(default, dict)
                    else None
                ),
                "declared_from_setting": callable(default),
                "targets": {str(y): v for y, v in sorted(years.items())},
                "target": target,
                "source": source,
            }
        )
    return items
