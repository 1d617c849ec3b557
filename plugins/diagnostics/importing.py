"""Import results from the spreadsheet a regional or federal procedure produces.

A row names the person by personnel number, or by full name and organisation code; then
procedure, date, area, score and deficits (titles from the region's catalogue, by «;»).
All or nothing: any bad row and nothing is recorded; the report lists every problem.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from core import activation
from core.db import database
from core.importing.columns import (
    Column,
    Problem,
    api_field,
    choice,
    header_problems,
    listing,
    parse_rows,
)
from core.importing.result import ImportFailed, ImportResult
from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from core.schemas.organization import OrganizationSchema
from core.schemas.staff import StaffSchema
from plugins.diagnostics.catalogue import AREAS, PROCEDURES
from plugins.diagnostics.personal import NAME
from plugins.diagnostics.results import record
from plugins.diagnostics.settings import deficits_of


def date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text_value = str(value).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text_value, pattern).date()
        except ValueError:
            continue
    raise ValueError("Ожидалась дата ДД.ММ.ГГГГ.")


def score(value):
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        raise ValueError("Ожидался балл числом от 0 до 100.") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError("Балл должен быть от 0 до 100 (процент от максимума).")
    return number


COLUMNS = [
    Column("Табельный номер", "code", api_field(StaffSchema, "code"), example="000123",
           help="или ФИО и код организации"),
    Column("ФИО", "full_name", api_field(StaffSchema, "full_name"),
           example="Иванова Мария Петровна"),
    Column("Код организации", "org_code", api_field(OrganizationSchema, "code"),
           example="sch-01"),
    Column("Процедура", "procedure", choice(PROCEDURES), required=True,
           example=PROCEDURES["regional"], help="; ".join(PROCEDURES.values())),
    Column("Дата", "date", date, required=True, example="15.10.2025"),
    Column("Область компетенций", "area", choice(AREAS), required=True,
           example=AREAS["methodical"], help="; ".join(AREAS.values())),
    Column("Балл", "score", score, required=True, example=72.5,
           help="процент от максимального балла"),
    Column("Дефициты", "deficits", listing, example="Формирующее оценивание",
           help="темы из каталога региона через «;»"),
]  # fmt: skip


class StaffIndex:
    """Find people under the scope by personnel number or by name and organisation code."""

    def __init__(self, scope):
        orgs = list(Organization.select().where(in_subtree(Organization.path, scope.path)))
        self.orgs = {o.code.casefold(): o for o in orgs}
        self.paths = {o.id: o.path for o in orgs}
        self.by_code, self.by_name = {}, {}
        for person in StaffMember.select().where(
            StaffMember.organization.in_(list(self.paths) or [0])
        ):
            if person.code:
                self.by_code.setdefault(person.code.casefold(), []).append(person)
            key = (person.organization_id, person.full_name.casefold())
            self.by_name.setdefault(key, []).append(person)

    def find(self, row):
        org = None
        if row.get("org_code"):
            org = self.orgs.get(row["org_code"].casefold())
            if org is None:
                raise ValueError("Код организации", "Организация с таким кодом не найдена.")
        if row.get("code"):
            found = [
                p for p in self.by_code.get(row["code"].casefold(), [])
                if org is None or p.organization_id == org.id
            ]  # fmt: skip
            if len(found) > 1:
                raise ValueError(
                    "Табельный номер",
                    "Номер есть в нескольких организациях: укажите код организации.",
                )
            if found:
                return found[0]
            raise ValueError("Табельный номер", "Работник с таким номером не найден.")
        if not row.get("full_name") or org is None:
            raise ValueError("ФИО", "Укажите табельный номер или ФИО и код организации.")
        found = self.by_name.get((org.id, row["full_name"].casefold()), [])
        if len(found) > 1:
            raise ValueError(
                "ФИО", "В организации несколько работников с таким ФИО: укажите номер."
            )
        if not found:
            raise ValueError("ФИО", "Работник не найден в этой организации.")
        return found[0]


def run(sheet, scope, user=None, progress=None) -> ImportResult:
    rows, problems = parse_rows(sheet, COLUMNS)
    if header_problems(problems):
        raise ImportFailed(problems)
    people = StaffIndex(scope)
    catalogue = {
        (d.area, d.title.casefold()): d.id for d in deficits_of(scope.region_id) if d.active
    }
    ready, seen = [], {}
    activation_map = activation.current_map()  # one read for every row
    for number, row in rows:
        try:
            person = people.find(row)
        except ValueError as error:
            problems.append(Problem(number, *error.args))
            continue
        if not activation_map.is_on(people.paths[person.organization_id], NAME):
            problems.append(
                Problem(number, "Код организации", "В организации не включён блок «Диагностика».")
            )
            continue
        ids, clean = [], True
        for title in row.get("deficits") or []:
            deficit_id = catalogue.get((row["area"], title.casefold()))
            if deficit_id is None:
                problems.append(
                    Problem(
                        number,
                        "Дефициты",
                        f"«{title}» нет в каталоге области «{AREAS[row['area']]}».",
                    )
                )
                clean = False
            ids.append(deficit_id)
        key = (person.id, row["procedure"], row["date"], row["area"])
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "Дата",
                    f"Повтор строки {seen[key]}: тот же работник, процедура, дата и область.",
                )
            )
            clean = False
        seen.setdefault(key, number)
        if clean:
            ready.append((number, person, {**row, "deficits": ids}))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.row))
    result = ImportResult()
    with database.atomic():
        for done, (_, person, values) in enumerate(ready, start=1):
            saved, outcome = record(person, values, user=user, source="import")
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.ids.append(saved.id)
            if progress is not None and done % 100 == 0:
                progress(done)
    if progress is not None:
        progress(len(ready))
    return result
