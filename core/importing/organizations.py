"""Import organisations into a region (or a subtree of it)."""

from core import audit, events
from core import organizations as tree
from core.db import database
from core.importing.columns import (
    Column,
    Problem,
    api_field,
    boolean,
    choice,
    header_problems,
    parse_rows,
    raw_values,
)
from core.importing.result import ImportFailed, ImportResult
from core.models import Organization
from core.models.organization import KINDS, in_subtree
from core.schemas.organization import OrganizationSchema


def _rule(name):
    return api_field(OrganizationSchema, name)


COLUMNS = [
    Column("Код", "code", _rule("code"), required=True, example="sch-01"),
    Column(
        "Наименование", "name", _rule("name"), required=True, example="МБОУ «Средняя школа № 1»"
    ),
    Column("Краткое наименование", "short_name", _rule("short_name"), example="СШ № 1"),
    Column(
        "Тип",
        "kind",
        choice(KINDS),
        required=True,
        example=KINDS["school"],
        help="; ".join(KINDS.values()),
    ),
    Column("Код вышестоящей организации", "parent_code", _rule("code"), example="klin"),
    Column("Активна", "active", boolean, example="да", help="да; нет (по умолчанию да)"),
]


def run(sheet, scope: Organization, user=None, progress=None, checked=None) -> ImportResult:
    """Create or update the organisations of ``sheet`` under ``scope``: all or nothing.

    A row's parent is looked up by code among the organisations under
    ``scope`` and among the file's rows; a row without a parent code goes
    directly under ``scope``.  A code that exists updates that organisation.
    """
    rows, problems = parse_rows(sheet, COLUMNS, checked)
    if header_problems(problems):
        raise ImportFailed(problems)
    existing = {
        o.code: o
        for o in Organization.select().where(
            Organization.region_id == scope.region_id, in_subtree(Organization.path, scope.path)
        )
    }
    in_file = {}
    codes_in_file = raw_values(sheet, "Код")
    for number, row in rows:
        if row["code"] in in_file:
            problems.append(
                Problem(number, "Код", f"Код повторяется (строка {in_file[row['code']][0]}).")
            )
            continue
        in_file[row["code"]] = (number, row)
        current = existing.get(row["code"])
        if current is not None and current.kind != row["kind"]:
            problems.append(Problem(number, "Тип", "Тип существующей организации менять нельзя."))
        elif current is None and tree.code_taken(scope.region_id, row["code"]):
            problems.append(Problem(number, "Код", "Код занят организацией вне области импорта."))
        parent_code = row.get("parent_code")
        if parent_code and parent_code not in existing and parent_code not in codes_in_file:
            problems.append(
                Problem(number, "Код вышестоящей организации", "Организация не найдена.")
            )
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.row))

    ordered = _parents_first(rows, problems)
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    # An exception inside rolls every row back, and no block hears of the new ones.
    with events.collecting(), database.atomic():
        known = dict(existing)
        for done, (number, row) in enumerate(ordered, start=1):
            parent = known[row["parent_code"]] if row.get("parent_code") else scope
            try:
                org = _apply(row, parent, known.get(row["code"]), user, result)
            except tree.TreeError as error:
                header = "Код" if error.field == "code" else "Код вышестоящей организации"
                problems.append(Problem(number, header, error.message))
                continue
            known[org.code] = org
            if progress:
                progress(done)
        if problems:
            raise ImportFailed(problems)
    return result


def _parents_first(rows, problems):
    """Order rows so that a parent in the file comes before its children."""
    by_code = {row["code"]: (number, row) for number, row in rows}
    ordered, state = [], {}

    def visit(code, chain):
        if state.get(code) == "done":
            return
        if code in chain:
            number = by_code[code][0]
            problems.append(Problem(number, "Код вышестоящей организации", "Цикл в подчинении."))
            return
        number, row = by_code[code]
        parent_code = row.get("parent_code")
        if parent_code in by_code:
            visit(parent_code, chain | {code})
        state[code] = "done"
        ordered.append((number, row))

    for _, row in rows:
        visit(row["code"], frozenset())
    return ordered


def _apply(row, parent, current, user, result):
    fields = {k: row[k] for k in ("name", "short_name", "active") if k in row}
    if current is None:
        org = tree.add(
            user=user,
            audit_action="import_create",
            kind=row["kind"],
            code=row["code"],
            parent=parent,
            **fields,
        )
        result.created += 1
        result.ids.append(org.id)
        return org
    before = tree.snapshot(current)
    if current.parent_id != parent.id:
        tree.move(current, parent)
    for key, value in fields.items():
        setattr(current, key, value)
    current.save()
    old, new = audit.changes(before, tree.snapshot(current))
    if new:
        audit.record(
            "import_update",
            user=user,
            object_type="organization",
            object_id=current.id,
            scope_path=current.path,
            before=old,
            after=new,
        )
        result.updated += 1
    else:
        result.unchanged += 1
    return current
