"""Create many staff members at once: what ``core.staff.create`` does for one (the row,
its audit entry, the ``staff_changed`` event after commit), in two statements per batch.

A 120,000-row import made one by one took minutes inside a request.  Even peewee's
``insert_many`` spends most of its time building the SQL value by value, so the batch
statement is written here, and its values are converted column by column (a column's
repeated lists, such as subjects, are turned into JSON once): the import then costs a
small multiple of a raw insert (bench/imports.py measures both in the same run)."""

import datetime as dt

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from core import audit, events
from core.models import AuditEntry, JSONField, StaffMember
from core.staff import FIELDS

PARAMETERS = 32_766  # SQLite's bound parameters per statement (PostgreSQL allows more)
MOST_ROWS = 2_000  # rows per INSERT
KEY = ("id", "organization_id", "code", "full_name", "birth_year")
NATIVE = {  # a value of this type needs no conversion by the field
    CharField: str,
    IntegerField: int,
    BooleanField: bool,
    DateTimeField: dt.datetime,
    ForeignKeyField: int,
}


def _fields(model):
    return [f for f in model._meta.sorted_fields if f.name != "id"]


def batch_size(model) -> int:
    return min(MOST_ROWS, PARAMETERS // len(_fields(model)))


def defaults(model) -> dict:
    """Each field's default, computed once for a whole import (one transaction: its
    ``created_at`` is one moment)."""
    return {f.name: f.default() if callable(f.default) else f.default for f in _fields(model)}


def insert(model, rows, returning=()) -> list[tuple]:
    """INSERT ``rows`` ({field name: value}, every field present) in one statement; the
    ``returning`` columns of the new rows, in no promised order."""
    database = model._meta.database
    fields = _fields(model)
    row = "(" + ", ".join([database.param] * len(fields)) + ")"
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ('
        + ", ".join(f'"{f.column_name}"' for f in fields)
        + ") VALUES "
        + ", ".join([row] * len(rows))
    )
    if returning:
        sql += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
    columns = [_converted(f, [values[f.name] for values in rows]) for f in fields]
    params = [value for values in zip(*columns, strict=True) for value in values]
    cursor = database.execute_sql(sql, params)
    return cursor.fetchall() if returning else []


def _converted(field, column: list) -> list:
    """``field.db_value`` of every value of a column, skipping values already native and
    turning each distinct list into JSON once."""
    convert = field.db_value
    if isinstance(field, JSONField):
        texts = {}
        out = []
        for value in column:
            if type(value) is list:
                key = tuple(value)
                text = texts.get(key)
                if text is None:
                    text = texts[key] = convert(value)
                out.append(text)
            else:
                out.append(convert(value))
        return out
    native = next((t for kind, t in NATIVE.items() if isinstance(field, kind)), None)
    if native is None:
        return [convert(value) for value in column]
    return [value if value is None or type(value) is native else convert(value) for value in column]


def _person(data: dict, organization) -> StaffMember:
    """A StaffMember of known values, made without peewee's per-field setattr (a fifth of
    the import's time at 120,000 rows)."""
    person = StaffMember.__new__(StaffMember)
    person.__data__ = data
    person._dirty = set()
    person.__rel__ = {"organization": organization}
    return person


def _snapshot(data: dict) -> dict:
    """``core.staff.snapshot`` of a person made here, read from its values directly."""
    return {"organization_id": data["organization"], **{k: data[k] for k in FIELDS}}


def create_staff(items, *, user, audit_action="import_create", progress=None) -> list[int]:
    """Insert ``items`` [(organisation, values)] in batches; call inside the import's
    ``events.collecting(), database.atomic()``.  Returns the new ids in ``items`` order."""
    base = defaults(StaffMember)
    mutable = [name for name, value in base.items() if isinstance(value, list | dict)]
    entry_base = defaults(AuditEntry)
    size = min(batch_size(StaffMember), batch_size(AuditEntry))
    ids = []
    for start in range(0, len(items), size):
        people = []
        for org, values in items[start : start + size]:
            data = {**base, **values, "organization": org.id}
            for name in mutable:
                if name not in values:
                    data[name] = type(base[name])()  # never one list shared by two people
            people.append(_person(data, org))
        # RETURNING's order is not promised: match the new ids back by their values.
        new_ids = {
            tuple(key): id_ for id_, *key in insert(StaffMember, [p.__data__ for p in people], KEY)
        }
        for person in people:
            data = person.__data__
            data["id"] = new_ids[
                (data["organization"], data["code"], data["full_name"], data["birth_year"])
            ]
            events.after_commit("staff_changed", staff=person, action="create", user=user)
        entries = audit.entries(
            audit_action,
            user=user,
            object_type="staff",
            items=[(p.id, p.organization.path, _snapshot(p.__data__)) for p in people],
        )
        insert(AuditEntry, [{**entry_base, **entry} for entry in entries])
        ids += [person.id for person in people]
        if progress:
            progress(len(ids))
    return ids
