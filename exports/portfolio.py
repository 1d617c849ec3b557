"""«Портфолио педагога»: the evidence a teacher brings to attestation, from the activity
record (``core.activities``), one row per activity and track it counts for.

Which activities count for which track (our reading of the attestation order, №196 of
24.03.2023, for the categories it introduced):

* «Первая и высшая категории» — every activity not cancelled: courses, mentoring, events,
  contests, the methodical active; the commission weighs them all.
* «Педагог-наставник» — every activity in the role of mentor.
* «Педагог-методист» — speaking or organising at the municipal level or above, membership
  of the methodical active or of a methodical association, work on a jury, expertise.

A period (``?period=``) keeps the activities that overlap it (attestation looks back five
years); without one the whole record is listed.
"""

from core import activities
from core.models import Activity, Organization, StaffMember
from core.models.organization import in_subtree

TRACKS = {
    "categories": "Первая и высшая категории",
    "mentor": "Педагог-наставник",
    "methodist": "Педагог-методист",
}
ABOVE_SCHOOL = ("municipal", "regional", "federal")


def tracks_of(kind: str, role: str, level: str) -> list[str]:
    """The tracks an activity counts for (see the module docstring)."""
    found = ["categories"]
    if role == "mentor":
        found.append("mentor")
    if (
        (role in ("speaker", "organiser") and level in ABOVE_SCHOOL)
        or (role == "member" and kind in ("methodical_active", "methodical_association"))
        or role == "juror"
        or kind == "expertise"
    ):
        found.append("methodist")
    return found


def _query(ctx, staff_id=None):
    query = (
        Activity.select(Activity, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(Activity.cancelled == False)  # noqa: E712
    )
    if staff_id is not None:
        query = query.where(Activity.staff == staff_id)
    else:
        query = query.where(in_subtree(Organization.path, ctx.scope.path))
    if ctx.period_start is not None:
        query = query.where(
            Activity.date <= ctx.period_end,
            (Activity.end_date.is_null() & (Activity.date >= ctx.period_start))
            | (Activity.end_date >= ctx.period_start),
        )
    return query.order_by(
        Organization.path, StaffMember.full_name, StaffMember.id, Activity.date, Activity.id
    )


def _person_rows(person):
    """One person's rows grouped by track, in the order of TRACKS."""
    kinds = activities.kinds()
    for track, title in TRACKS.items():
        for row in person:
            if track not in tracks_of(row.kind, row.role, row.level):
                continue
            yield [
                row.staff.full_name,
                row.staff.organization.name,
                title,
                kinds.get(row.kind, row.kind),
                activities.ROLES.get(row.role, row.role),
                activities.LEVELS.get(row.level, row.level),
                row.title,
                activities.RESULTS.get(row.result, row.result),
                row.date,
                row.end_date,
                None if row.hours is None else float(row.hours),
                row.evidence,
            ]


def rows(ctx, staff_id=None):
    person, current = [], None
    for row in _query(ctx, staff_id).iterator():
        if row.staff_id != current and person:
            yield from _person_rows(person)
            person = []
        current = row.staff_id
        person.append(row)
    yield from _person_rows(person)


COLUMNS = [
    {"header": "ФИО", "width": 32},
    {"header": "Организация", "width": 36},
    {"header": "Направление аттестации", "width": 26},
    {"header": "Вид деятельности", "width": 28},
    {"header": "Роль", "width": 16},
    {"header": "Уровень", "width": 18},
    {"header": "Содержание", "width": 44},
    {"header": "Результат", "width": 16},
    {"header": "Дата", "width": 12, "type": "date"},
    {"header": "Окончание", "width": 12, "type": "date"},
    {"header": "Часов", "width": 8, "type": "number"},
    {"header": "Подтверждение", "width": 40},
]

PORTFOLIO = {
    "code": "teacher_portfolio",
    "title": "Портфолио педагога",
    "levels": ["region", "hub", "municipality", "organization"],
    "personal_data": True,
    "sheets": [{"name": "Портфолио", "columns": COLUMNS, "rows": rows}],
}


def for_person(staff) -> dict:
    """The same export for one person (their profile's «Портфолио»)."""
    sheet = {"name": "Портфолио", "columns": COLUMNS, "rows": lambda ctx: rows(ctx, staff.id)}
    return {**PORTFOLIO, "title": f"Портфолио педагога: {staff.full_name}", "sheets": [sheet]}
