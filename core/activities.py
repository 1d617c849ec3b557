"""The one way blocks write a person's professional activities (``core.models.Activity``).

A block calls ``record`` whenever its own data says the person did something (a pair is
active, a course step is done, a member of the active is confirmed) and ``withdraw`` when
that stops being true (a pair cancelled, an application withdrawn).  Both run inside the
caller's transaction, so the record changes with the block's data or not at all.  A source
is identified by (block, source type, source id): recording it again updates the same row,
withdrawing marks it cancelled and keeps it (the history stays readable).
"""

import datetime as dt
from decimal import Decimal

from flask import has_app_context

from core.db import database
from core.models import Activity, utcnow

# The core's activity kinds; blocks add theirs through register_vocabulary("activity_kinds").
KINDS = {
    "course": "Повышение квалификации",
    "internship": "Стажировка",
    "mentoring": "Наставничество",
    "methodical_active": "Методический актив",
    "methodical_association": "Методическое объединение",
    "event": "Методическое мероприятие",
    "contest": "Конкурс профессионального мастерства",
    "expertise": "Экспертная деятельность",
    "publication": "Публикация",
    "innovation": "Инновационная деятельность",
}
ROLES = {
    "participant": "Участник",
    "mentor": "Наставник",
    "mentee": "Наставляемый",
    "speaker": "Выступающий",
    "juror": "Член жюри",
    "member": "Член",
    "organiser": "Организатор",
}
LEVELS = {
    "school": "Уровень организации",
    "municipal": "Муниципальный",
    "regional": "Региональный",
    "federal": "Федеральный",
}
# Results a block may give as a code; any other text is stored and shown as it is.
RESULTS = {
    "winner": "Победитель",
    "prize_winner": "Призёр",
    "laureate": "Лауреат",
    "participant": "Участник",
    "completed": "Завершено",
    "in_progress": "В процессе",
}


class ActivityRefused(ValueError):
    """A block passed a value outside the vocabularies: a bug in the block, said loudly."""


def kinds() -> dict[str, str]:
    """The core's kinds merged with those the blocks declared (code → Russian label)."""
    merged = dict(KINDS)
    if has_app_context():
        from core.plugin_access import registry

        vocabulary = registry().vocabulary.get("activity_kinds", {})
        merged.update({code: entry["label"] for code, entry in vocabulary.items()})
    return merged


def choice(value, labels) -> dict:
    """{value, label}: English code stored, Russian label shown (free text shown as is)."""
    return {"value": value, "label": labels.get(value, value)}


def _check(kind, role, level):
    for value, allowed, what in (
        (kind, kinds(), "kind"),
        (role, ROLES, "role"),
        (level, LEVELS, "level"),
    ):
        if value not in allowed:
            raise ActivityRefused(f"activity {what} {value!r} is not among {sorted(allowed)}")


def record(
    staff,
    *,
    block: str,
    source: tuple[str, object],
    kind: str,
    role: str,
    level: str,
    title: str,
    date: dt.date,
    end: dt.date | None = None,
    hours=None,
    result: str | None = None,
    evidence: str = "",
) -> Activity:
    """Create or update the person's record of ``source`` (``(type, id)``); un-cancels it."""
    _check(kind, role, level)
    source_type, source_id = source[0], str(source[1])
    values = {
        "kind": kind,
        "role": role,
        "level": level,
        "title": title[:500],
        "date": date,
        "end_date": end,
        "hours": None if hours is None else Decimal(str(hours)),
        "result": result or "",
        "evidence": evidence or "",
        "cancelled": False,
    }
    staff_id = getattr(staff, "id", staff)
    with database.atomic():
        row = Activity.get_or_none(
            Activity.block == block,
            Activity.source_type == source_type,
            Activity.source_id == source_id,
            Activity.staff == staff_id,
        )
        if row is None:
            return Activity.create(
                staff=staff_id,
                block=block,
                source_type=source_type,
                source_id=source_id,
                **values,
            )
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            row.save()
    return row


def withdraw(block: str, source: tuple[str, object], *, staff=None) -> int:
    """Mark the records of ``source`` cancelled (every person's, or ``staff``'s only)."""
    query = Activity.update(cancelled=True, updated_at=utcnow()).where(
        Activity.block == block,
        Activity.source_type == source[0],
        Activity.source_id == str(source[1]),
        Activity.cancelled == False,  # noqa: E712
    )
    if staff is not None:
        query = query.where(Activity.staff == getattr(staff, "id", staff))
    with database.atomic():
        return query.execute()


def sources(block: str, source_type: str, *, prefix: str = "") -> dict[str, list[Activity]]:
    """The block's live (not cancelled) records of one source type (source ids starting
    with ``prefix``), by source id: what a block compares with its data to withdraw what
    is gone."""
    query = Activity.select().where(
        Activity.block == block,
        Activity.source_type == source_type,
        Activity.cancelled == False,  # noqa: E712
    )
    if prefix:
        query = query.where(Activity.source_id.startswith(prefix))
    found: dict[str, list[Activity]] = {}
    for row in query:
        found.setdefault(row.source_id, []).append(row)
    return found


def of(staff) -> list[Activity]:
    """Every record of the person, cancelled ones included, oldest first."""
    return list(
        Activity.select()
        .where(Activity.staff == getattr(staff, "id", staff))
        .order_by(Activity.date, Activity.id)
    )


def labelled(row: Activity, kind_labels: dict | None = None) -> dict:
    """A record as the API and the profile show it: codes with Russian labels
    (``kind_labels``: ``kinds()`` read once for many rows)."""
    return {
        "id": row.id,
        "block": row.block,
        "kind": choice(row.kind, kind_labels or kinds()),
        "role": choice(row.role, ROLES),
        "level": choice(row.level, LEVELS),
        "title": row.title,
        "result": choice(row.result, RESULTS) if row.result else None,
        "date": row.date,
        "end_date": row.end_date,
        "hours": None if row.hours is None else float(row.hours),
        "evidence": row.evidence,
        "cancelled": row.cancelled,
    }
