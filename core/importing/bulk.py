"""Create many staff members at once: what ``core.staff.create`` does for one (the row,
its audit entry, the ``staff_changed`` event after commit), in two statements per batch.

A 120,000-row import made one by one took minutes inside a request.  Even peewee's
``insert_many`` spends most of its time building the SQL value by value, so the batch
statement is written here (placeholders, the fields' own ``db_value``): the import then
costs about what a raw insert does (bench/imports.py measures both in the same run)."""

from core import audit, events
from core.models import AuditEntry, StaffMember
from core.staff import snapshot

BATCH = 500  # rows per INSERT: 13 columns, well under SQLite's 32,766 bound parameters
KEY = ("id", "organization_id", "code", "full_name", "birth_year")


def insert(model, rows, returning=()) -> list[tuple]:
    """INSERT ``rows`` ({field name: value}; a missing field takes its default) in one
    statement; the ``returning`` columns of the new rows, in no promised order."""
    database = model._meta.database
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    row = "(" + ", ".join([database.param] * len(fields)) + ")"
    sql = (
        f'INSERT INTO "{model._meta.table_name}" ('
        + ", ".join(f'"{f.column_name}"' for f in fields)
        + ") VALUES "
        + ", ".join([row] * len(rows))
    )
    if returning:
        sql += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
    params = [f.db_value(_value(values, f)) for values in rows for f in fields]
    cursor = database.execute_sql(sql, params)
    return cursor.fetchall() if returning else []


def _value(values, field):
    if field.name in values:
        return values[field.name]
    return field.default() if callable(field.default) else field.default


def create_staff(items, *, user, audit_action="import_create", progress=None) -> list[int]:
    """Insert ``items`` [(organisation, values)] in batches; call inside the import's
    ``events.collecting(), database.atomic()``.  Returns the new ids in ``items`` order."""
    ids = []
    for start in range(0, len(items), BATCH):
        people = [StaffMember(organization=org, **values) for org, values in items[start:][:BATCH]]
        # RETURNING's order is not promised: match the new ids back by their values.
        new_ids = {
            tuple(key): id_ for id_, *key in insert(StaffMember, [p.__data__ for p in people], KEY)
        }
        for person in people:
            person.id = new_ids[
                (person.organization_id, person.code, person.full_name, person.birth_year)
            ]
            events.after_commit("staff_changed", staff=person, action="create", user=user)
        entries = audit.entries(
            audit_action,
            user=user,
            object_type="staff",
            items=[(p.id, p.organization.path, snapshot(p)) for p in people],
        )
        insert(AuditEntry, entries)
        ids += [person.id for person in people]
        if progress:
            progress(len(ids))
    return ids
