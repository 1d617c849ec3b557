"""Schedules: a form declaration's ``"schedule"`` says when its campaigns open by themselves.

The format (plain data in the declaration)::

    "schedule": {
        "every": "year" | "quarter" | "month",   # how often a campaign opens
        "opens": "09-01",          # yearly: month and day of the opening
        "opens_day": 1,            # monthly, quarterly: day (1..28) of the (quarter's first) month
        "deadline": "09-30",       # yearly: month and day of the deadline, not before "opens"
        "deadline_days": 30,       # or: the deadline is so many days after the opening day
        "period": "school_year",   # kind of the period collected (forms.periods.KINDS)
        "reports_on": "current",   # the period holding the opening day, or "previous" to it
        "audience": ["school"],    # organisation kinds asked (default: schools)
        "staff": {"under_age": 35},  # staff-level forms: the campaign's age/experience limits
    }

Examples: the pairs register every September ``{"every": "year", "opens": "09-01",
"deadline_days": 30, "period": "school_year"}``; the monitoring every May ``{"every":
"year", "opens": "05-01", "deadline": "05-31", "period": "year"}``; a monthly report on the
month just ended ``{"every": "month", "opens_day": 1, "deadline_days": 10, "period":
"month", "reports_on": "previous"}``.

One campaign opens per municipality where the form's block is on (scope = the
municipality, so its methodist reviews it and may move its dates); the audience is the
municipality's organisations of the declared kinds.  A region or municipality may change
the dates or switch the schedule off (``ScheduleOverride``; the nearest one wins).
"""

import datetime as dt
from typing import NamedTuple

from core.models.organization import KINDS as ORGANIZATION_KINDS
from forms import periods

EVERY = {"year": "ежегодно", "quarter": "ежеквартально", "month": "ежемесячно"}
DATE_KEYS = ("opens", "opens_day", "deadline", "deadline_days")
KEYS = {*DATE_KEYS, "every", "period", "reports_on", "audience", "staff"}


class Occurrence(NamedTuple):
    """One opening of a schedule: the campaign's dates and period."""

    opens_on: dt.date
    deadline: dt.date
    period_kind: str
    period_start: dt.date
    period_end: dt.date

    @property
    def period(self) -> str:
        return periods.code(self.period_kind, self.period_start)


def _month_day(text):
    """(month, day) of "MM-DD", or None; 02-29 is refused (it would skip three years)."""
    try:
        day = dt.date.fromisoformat(f"2001-{text}")
    except (TypeError, ValueError):
        return None
    return (day.month, day.day) if isinstance(text, str) and len(text) == 5 else None


def _whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def problems(schedule) -> dict[str, list[str]]:
    """Russian messages by key for a schedule that cannot work; {} when it is valid."""
    if not isinstance(schedule, dict):
        return {"schedule": ["Расписание — объект с ключами every, period и датами."]}
    errors = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    for key in sorted(set(schedule) - KEYS):
        add(key, "Неизвестный ключ расписания.")
    every = schedule.get("every")
    if every not in EVERY:
        add("every", "Периодичность: year, quarter или month.")
    if schedule.get("period") not in periods.KINDS:
        add("period", f"Вид периода: {', '.join(periods.KINDS)}.")
    if schedule.get("reports_on", "current") not in ("current", "previous"):
        add("reports_on", "Отчётный период: current или previous.")
    yearly = every == "year"
    if yearly:
        if "opens_day" in schedule:
            add("opens_day", "Для ежегодного расписания дата открытия задаётся как ММ-ДД (opens).")
        if _month_day(schedule.get("opens")) is None:
            add("opens", "Дата открытия — месяц и день в виде ММ-ДД, например 09-01.")
    elif every in EVERY:
        if "opens" in schedule:
            add("opens", "Для этой периодичности укажите день месяца открытия (opens_day).")
        if not _whole(schedule.get("opens_day"), 1, 28):
            add("opens_day", "День открытия — целое число от 1 до 28.")
    has_date, has_days = "deadline" in schedule, "deadline_days" in schedule
    if has_date == has_days:
        add("deadline", "Укажите срок сдачи: дату ММ-ДД (deadline) или число дней (deadline_days).")
    elif has_days and not _whole(schedule["deadline_days"], 1, 366):
        add("deadline_days", "Число дней на сдачу — целое от 1 до 366.")
    elif has_date and not yearly:
        add("deadline", "Дата срока ММ-ДД — только для ежегодного расписания; укажите дни.")
    elif has_date and _month_day(schedule["deadline"]) is None:
        add("deadline", "Срок сдачи — месяц и день в виде ММ-ДД, например 09-30.")
    elif (
        has_date
        and "opens" not in errors
        and _month_day(schedule["deadline"]) < _month_day(schedule["opens"])
    ):
        add(
            "deadline",
            f"Срок сдачи ({_ru(schedule['deadline'])}) раньше открытия ({_ru(schedule['opens'])}).",
        )
    audience = schedule.get("audience", ["school"])
    if not (isinstance(audience, list) and audience and set(audience) <= set(ORGANIZATION_KINDS)):
        add("audience", f"Виды организаций из списка: {', '.join(ORGANIZATION_KINDS)}.")
    if not isinstance(schedule.get("staff", {}), dict):
        add("staff", "Ограничения по возрасту и стажу — объект (under_age, experience_below).")
    return errors


def _ru(month_day: str) -> str:
    month, day = month_day.split("-")
    return f"{day}.{month}"


def apply_overrides(schedule: dict, overrides) -> tuple[dict, bool]:
    """The schedule as ``overrides`` (root first, the nearest last) change it, and whether
    it is on: the nearest override decides; its dates replace the declared ones."""
    result, enabled = dict(schedule), True
    for override in overrides:
        enabled = override.enabled
        for pair in (("opens", "opens_day"), ("deadline", "deadline_days")):
            values = {key: getattr(override, key) for key in pair}
            if any(value is not None for value in values.values()):
                for key in pair:
                    result.pop(key, None)
                result.update({k: v for k, v in values.items() if v is not None})
    return result, enabled


def _opening_before(schedule, today) -> dt.date:
    """The latest opening day on or before ``today``."""
    every = schedule["every"]
    if every == "year":
        month, day = _month_day(schedule["opens"])
        opening = dt.date(today.year, month, day)
        return opening if opening <= today else opening.replace(year=today.year - 1)
    step = 1 if every == "month" else 3
    first_month = today.month if every == "month" else 3 * ((today.month - 1) // 3) + 1
    opening = dt.date(today.year, first_month, schedule["opens_day"])
    if opening > today:
        index = today.year * 12 + first_month - 1 - step
        opening = dt.date(index // 12, index % 12 + 1, schedule["opens_day"])
    return opening


def period_containing(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if kind == "month":
        text = f"{day.year}-{day.month:02d}"
    elif kind == "quarter":
        text = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    elif kind == "school_year":
        year = day.year if day.month >= 9 else day.year - 1
        text = f"{year}/{year + 1}"
    else:
        text = str(day.year)
    return periods.parse(kind, text)


def occurrence(schedule: dict, today: dt.date) -> Occurrence:
    """The schedule's latest opening on or before ``today``, with its deadline and period."""
    opening = _opening_before(schedule, today)
    if "deadline" in schedule:
        month, day = _month_day(schedule["deadline"])
        deadline = dt.date(opening.year, month, day)
    else:
        deadline = opening + dt.timedelta(days=schedule["deadline_days"])
    kind = schedule["period"]
    start, end = period_containing(kind, opening)
    if schedule.get("reports_on") == "previous":
        start, end = period_containing(kind, start - dt.timedelta(days=1))
    return Occurrence(opening, deadline, kind, start, end)


def due(schedule: dict, today: dt.date) -> Occurrence | None:
    """The occurrence to open today: opened on or before today, deadline not yet passed
    (a worker that was down on the opening day catches up until the deadline)."""
    found = occurrence(schedule, today)
    return found if found.opens_on <= today <= found.deadline else None


def upcoming(schedule: dict, today: dt.date) -> Occurrence:
    """The occurrence open today, or else the next one to open."""
    found = occurrence(schedule, today)
    if found.deadline >= today:
        return found
    day = today
    while True:  # the next opening is at most a year ahead
        day += dt.timedelta(days=1)
        found = occurrence(schedule, day)
        if found.opens_on > today:
            return found
