"""One clock: UTC instants compared with the day boundaries of the region's time zone.

Russia spans UTC+2 to UTC+12, so "today" and "the end of the deadline day" depend on
where the organisation is, never on the server's own zone.  An organisation's zone is
the nearest one set on it or an ancestor (a region, a hub or a municipality); the root
of the tree defaults to Moscow.  Tests freeze time by monkeypatching ``clock.now``.
"""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.models import Organization

DEFAULT_ZONE = "Europe/Moscow"


def now() -> dt.datetime:
    """The current instant, aware, in UTC (the one place that asks the system)."""
    return dt.datetime.now(dt.UTC)


@cache
def _zones() -> frozenset:
    return frozenset(available_timezones())


def stamp() -> dt.datetime:
    """``now()`` as stored: naive UTC (core.models.utcnow)."""
    return now().replace(tzinfo=None)


def valid_zone(name: str) -> bool:
    if not name or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_name(org) -> str:
    """The IANA zone of ``org``: its own, else its nearest ancestor's, else Moscow."""
    if org is None:
        return DEFAULT_ZONE
    if getattr(org, "time_zone", None):
        return org.time_zone
    row = (
        Organization.select(Organization.time_zone)
        .where(Organization.id.in_(org.ancestor_ids()), Organization.time_zone.is_null(False))
        .order_by(Organization.path.desc())
        .first()
    )
    return row.time_zone if row else DEFAULT_ZONE


def zone(org) -> ZoneInfo:
    return ZoneInfo(zone_name(org))


def _aware(instant: dt.datetime) -> dt.datetime:
    # Stored timestamps are naive UTC (core.models.utcnow).
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def today(org) -> dt.date:
    """The local date in ``org``'s zone now."""
    return now().astimezone(zone(org)).date()


def date_at(instant: dt.datetime, org) -> dt.date:
    """The local date in ``org``'s zone at ``instant``."""
    return _aware(instant).astimezone(zone(org)).date()


def day_end(day: dt.date, org) -> dt.datetime:
    """The last moment of ``day`` in ``org``'s zone, as a UTC instant (exclusive bound)."""
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone(org))
    return following.astimezone(dt.UTC)


def deadline_end(campaign, deadline: dt.date | None = None) -> dt.datetime:
    """When the campaign's deadline day ends in its scope's zone (UTC): answers first sent
    at or after this instant are late."""
    return day_end(deadline or campaign.deadline, campaign.scope)


def is_late(campaign, instant: dt.datetime, deadline: dt.date | None = None) -> bool:
    return _aware(instant) >= deadline_end(campaign, deadline)


def local(instant: dt.datetime | None, org) -> dt.datetime | None:
    """``instant`` (aware, or naive UTC) in ``org``'s zone, for display."""
    return _aware(instant).astimezone(zone(org)) if instant else None


def display(instant: dt.datetime | None, org) -> str:
    """«31.05.2026 23:59 (Europe/Moscow)»: a local time always names its zone."""
    if instant is None:
        return ""
    name = zone_name(org)
    return f"{_aware(instant).astimezone(ZoneInfo(name)):%d.%m.%Y %H:%M} ({name})"


def display_deadline(campaign) -> str:
    """The deadline as the last minute of its day, with the zone."""
    name = zone_name(campaign.scope)
    return f"{campaign.deadline:%d.%m.%Y} 23:59 ({name})"
