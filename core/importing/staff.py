"""Import staff members of the organisations under a scope."""

from core import events
from core import staff as roster
from core.db import database
from core.importing.bulk import create_staff
from core.importing.columns import (
    Column,
    Problem,
    api_field,
    boolean,
    choice,
    header_problems,
    listing,
    parse_rows,
    year,
)
from core.importing.result import ImportFailed, ImportResult
from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from core.models.staff import CATEGORIES
from core.schemas.organization import OrganizationSchema
from core.schemas.staff import StaffSchema
from core.staff import STAFF_KINDS, snapshot


def _rule(name, before=lambda value: str(value).strip()):
    return api_field(StaffSchema, name, before)


COLUMNS = [
    Column(
        "Код организации",
        "org_code",
        api_field(OrganizationSchema, "code"),
        required=True,
        example="sch-01",
    ),
    Column("ФИО", "full_name", _rule("full_name"), required=True, example="Иванова Мария Петровна"),
    Column("Должность", "position", _rule("position"), required=True, example="учитель"),
    Column("Год рождения", "birth_year", _rule("birth_year", year), required=True, example=1990),
    Column(
        "Год начала педагогической деятельности",
        "teaching_since",
        _rule("teaching_since", year),
        example=2015,
    ),
    Column(
        "Предметы",
        "subjects",
        _rule("subjects", listing),
        example="математика; информатика",
        help="через «;»",
    ),
    Column(
        "Квалификационная категория",
        "category",
        choice(CATEGORIES),
        example=CATEGORIES["first"],
        help="; ".join(CATEGORIES.values()),
    ),
    Column("Управленческая команда", "is_management", boolean, example="нет"),
    Column(
        "Методические объединения",
        "associations",
        _rule("associations", listing),
        example="РМО учителей математики",
    ),
    Column("Табельный номер", "code", _rule("code"), example="000123"),
    Column("Работает", "active", boolean, example="да"),
]

FIELDS = (
    "full_name",
    "position",
    "birth_year",
    "teaching_since",
    "subjects",
    "category",
    "is_management",
    "associations",
    "code",
    "active",
)


def _key(org_id, row):
    """How a row finds an existing record: by personnel number, else by name and birth year."""
    if row.get("code"):
        return (org_id, "code", row["code"])
    return (org_id, "name", row["full_name"].casefold(), row["birth_year"])


def run(sheet, scope: Organization, user=None, progress=None, checked=None) -> ImportResult:
    rows, problems = parse_rows(sheet, COLUMNS, checked)
    if header_problems(problems):
        raise ImportFailed(problems)
    orgs = {
        o.code: o
        for o in Organization.select().where(
            Organization.region_id == scope.region_id, in_subtree(Organization.path, scope.path)
        )
    }
    existing = {}
    ids = [o.id for o in orgs.values()]
    for staff in StaffMember.select().where(StaffMember.organization.in_(ids)):
        existing[_key(staff.organization_id, {"code": staff.code, **snapshot(staff)})] = staff
        if staff.code:  # also findable by name when the file has no number
            existing.setdefault(
                _key(
                    staff.organization_id,
                    {"full_name": staff.full_name, "birth_year": staff.birth_year},
                ),
                staff,
            )
    seen = {}
    plan = []
    for number, row in rows:
        org = orgs.get(row["org_code"])
        if org is None:
            problems.append(Problem(number, "Код организации", "Организация не найдена."))
            continue
        if org.kind not in STAFF_KINDS:
            problems.append(
                Problem(number, "Код организации", "Работники числятся только в ОО и центрах.")
            )
            continue
        since, born = row.get("teaching_since"), row["birth_year"]
        if since is not None and since < born + 14:
            problems.append(
                Problem(number, "Год начала педагогической деятельности", "Раньше 14 лет.")
            )
        key = _key(org.id, row)
        if key in seen:
            problems.append(Problem(number, "ФИО", f"Работник повторяется (строка {seen[key]})."))
            continue
        seen[key] = number
        plan.append((number, org, row, existing.get(key)))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.row))

    result = ImportResult()
    with events.collecting(), database.atomic():  # all or nothing, heard only if all
        new = [(org, _values(row)) for _, org, row, current in plan if current is None]
        result.ids = create_staff(new, user=user, progress=progress)
        result.created = len(new)
        for done, (_, org, row, current) in enumerate(plan, start=1):
            if current is None:
                continue
            before = snapshot(current)
            current.organization = org  # the same one, already read: no query per row
            for k, v in _values(row).items():
                setattr(current, k, v)
            if roster.save(current, before, user=user, audit_action="import_update"):
                result.updated += 1
            else:
                result.unchanged += 1
            if progress and done % 100 == 0:
                progress(result.created + result.updated + result.unchanged)
    if progress:
        progress(len(plan))
    return result


def _values(row) -> dict:
    return {k: row[k] for k in FIELDS if k in row}
