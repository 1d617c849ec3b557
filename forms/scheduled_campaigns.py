"""The schedule job: open the campaigns whose schedule is due, once per municipality and
period, wherever the form's block is on.  Run by the worker every hour and by
`metodnet schedules run`; running it again (or twice at once) opens nothing more: the key
(form, municipality, period) is unique in ``schedule_opening``."""

import datetime as dt
import logging

from peewee import IntegrityError

from core import clock
from core.db import write_transaction
from core.models import Organization, PluginActivation
from forms import campaigns, periods, schedules, store
from forms.models import ScheduleOpening, ScheduleOverride

log = logging.getLogger(__name__)
SCHEDULER = "scheduler"  # the audit log's login for what the job opens


def scheduled_declarations(registry) -> list[tuple[dict, str]]:
    """(declaration, owner) of every form that declares a schedule."""
    return [
        (declaration, registry.owner("forms", declaration["code"]))
        for declaration in registry.items("forms")
        if declaration.get("schedule")
    ]


def municipalities_on(plugin: str | None) -> list[Organization]:
    """Active municipalities where ``plugin`` is switched on (the nearest setting on the path
    region → hub → municipality wins), from two queries."""
    municipalities = list(
        Organization.select()
        .where(Organization.kind == "municipality", Organization.active == True)  # noqa: E712
        .order_by(Organization.path)
    )
    if plugin is None:
        return municipalities
    setting = dict(
        PluginActivation.select(PluginActivation.organization, PluginActivation.enabled)
        .where(PluginActivation.plugin == plugin)
        .tuples()
    )

    def enabled(org):
        for ancestor in reversed(org.ancestor_ids()):
            if ancestor in setting:
                return setting[ancestor]
        return False

    return [org for org in municipalities if enabled(org)]


def overrides_along(form_code: str, org: Organization, by_scope=None) -> list[ScheduleOverride]:
    """The overrides of ``form_code`` on ``org`` and its ancestors, root first."""
    if by_scope is None:
        rows = ScheduleOverride.select().where(
            ScheduleOverride.form_code == form_code,
            ScheduleOverride.scope.in_(org.ancestor_ids()),
        )
        by_scope = {row.scope_id: row for row in rows}
    return [by_scope[i] for i in org.ancestor_ids() if i in by_scope]


def effective(declaration: dict, org: Organization, by_scope=None) -> tuple[dict, bool]:
    """The schedule of ``declaration`` as it applies to ``org``, and whether it is on."""
    overrides = overrides_along(declaration["code"], org, by_scope)
    return schedules.apply_overrides(declaration["schedule"], overrides)


def open_period(form, municipality, occurrence, schedule, *, user=None, login=SCHEDULER):
    """Open the campaign of ``occurrence`` for ``municipality``; None if that period was
    already opened (by another run, another worker, or the demo)."""
    title = f"{form.title}, {periods.label(occurrence.period_kind, occurrence.period_start)}"
    try:
        with write_transaction():
            campaign = campaigns.create(
                form,
                title=title,
                period_kind=occurrence.period_kind,
                period_start=occurrence.period_start,
                period_end=occurrence.period_end,
                scope=municipality,
                audience_kinds=schedule.get("audience", ["school"]),
                audience_staff=schedule.get("staff"),
                opens_on=occurrence.opens_on,
                deadline=occurrence.deadline,
                user=user,
                login=login,
                audit_action="schedule_open",
            )
            ScheduleOpening.create(
                form_code=form.code,
                scope=municipality,
                period=occurrence.period,
                campaign=campaign,
            )
    except IntegrityError:  # the unique key: someone opened this period first
        return None
    return campaign


def _opened(form_code) -> set[tuple[int, str]]:
    rows = ScheduleOpening.select(ScheduleOpening.scope, ScheduleOpening.period).where(
        ScheduleOpening.form_code == form_code
    )
    return set(rows.tuples())


def open_due(registry, today: dt.date | None = None) -> list:
    """Open every due, not yet opened period; return the campaigns opened now.
    "Today" is each municipality's own local date unless ``today`` is given."""
    opened_now = []
    for declaration, owner in scheduled_declarations(registry):
        form = store.latest(declaration["code"])
        if form is None:  # declared but not stored yet (`metodnet db upgrade` stores it)
            continue
        plugin = owner if owner in registry.plugins else None
        rows = ScheduleOverride.select().where(ScheduleOverride.form_code == form.code)
        by_scope = {row.scope_id: row for row in rows}
        already = _opened(form.code)
        for municipality in municipalities_on(plugin):
            schedule, enabled = effective(declaration, municipality, by_scope)
            day = today or clock.today(municipality)
            occurrence = schedules.due(schedule, day) if enabled else None
            if occurrence is None or (municipality.id, occurrence.period) in already:
                continue
            campaign = open_period(form, municipality, occurrence, schedule)
            if campaign is not None:
                log.info("opened %s for %s, %s", form.code, municipality.code, occurrence.period)
                opened_now.append(campaign)
    return opened_now
