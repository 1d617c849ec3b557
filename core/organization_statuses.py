"""Statuses of an educational organisation (a flagship school, a resource centre…) with
their periods: added, ended and removed by the API and the organisation card alike."""

import datetime as dt

from core import audit, vocabulary
from core.db import database
from core.models import OrganizationStatus
from core.models.organization import EDUCATIONAL_KINDS
from core.organizations import TreeError

STATUSES = "organization_statuses"  # the vocabulary kind


class StatusOverlap(TreeError):
    """The same status already holds for part of the period (the API answers 409)."""


def _record(action, user, org, row, **change):
    audit.record(
        action,
        user=user,
        object_type="organization_status",
        object_id=row.id,
        scope_path=org.path,
        **change,
    )


def dump(row: OrganizationStatus) -> dict:
    return {
        "id": row.id,
        "status": row.status,
        "title": vocabulary.label(STATUSES, row.status),
        "start_date": row.start_date.isoformat(),
        "end_date": row.end_date.isoformat() if row.end_date else None,
        "note": row.note,
    }


def overlaps(org, status, start, end, exclude_id=None) -> bool:
    far = dt.date.max
    query = OrganizationStatus.select().where(
        OrganizationStatus.organization == org,
        OrganizationStatus.status == status,
        OrganizationStatus.start_date <= (end or far),
        OrganizationStatus.end_date.is_null() | (OrganizationStatus.end_date >= start),
    )
    if exclude_id:
        query = query.where(OrganizationStatus.id != exclude_id)
    return query.exists()


def _overlap_error(status):
    title = vocabulary.label(STATUSES, status)
    return StatusOverlap("start_date", f"Статус «{title}» уже действует в этот период.")


def add(org, *, status, start_date, end_date=None, note="", user) -> OrganizationStatus:
    if org.kind not in EDUCATIONAL_KINDS:
        raise TreeError("status", "Статусы присваиваются только образовательным организациям.")
    if end_date is not None and end_date < start_date:
        raise TreeError("end_date", "Дата окончания раньше даты начала.")
    with database.atomic():
        if overlaps(org, status, start_date, end_date):
            raise _overlap_error(status)
        row = OrganizationStatus.create(
            organization=org, status=status, start_date=start_date, end_date=end_date, note=note
        )
        _record("create", user, org, row, after=dump(row))
    return row


def end(org, row: OrganizationStatus, end_date: dt.date, *, user) -> None:
    """The status holds until ``end_date`` (inclusive)."""
    if end_date < row.start_date:
        raise TreeError("end_date", "Дата окончания раньше даты начала.")
    with database.atomic():
        if overlaps(org, row.status, row.start_date, end_date, exclude_id=row.id):
            raise _overlap_error(row.status)
        before = dump(row)
        row.end_date = end_date
        row.save()
        _record("update", user, org, row, before=before, after=dump(row))


def remove(org, row: OrganizationStatus, *, user) -> None:
    with database.atomic():
        _record("delete", user, org, row, before=dump(row))
        row.delete_instance()
