"""The core's exports: organisations, staff, campaign responses and progress, audit results.

Each row source streams tuples from the database (``.iterator()``), so no
export holds its rows in memory.
"""

from peewee import JOIN

from core import clock, vocabulary
from core.models import Organization, OrganizationStatus, StaffMember
from core.models.organization import KINDS, in_subtree
from core.models.staff import CATEGORIES
from exports.portfolio import PORTFOLIO
from forms import audience
from forms.audits import results as audit_results
from forms.definition import iter_fields
from forms.models import STATES, ChecklistAudit, FormDefinition, Submission
from forms.values import is_blank


def _municipality_names(scope):
    """id → name of the municipalities in or above the scope (a few hundred at most)."""
    query = Organization.select(Organization.id, Organization.name).where(
        Organization.kind == "municipality",
        Organization.region_id == scope.region_id,
    )
    return dict(query.tuples())


def _municipality_of(path, names):
    for part in path.strip("/").split("/"):
        if int(part) in names:
            return names[int(part)]
    return ""


# --- organisations register -------------------------------------------------


def _org_rows(ctx):
    names = _municipality_names(ctx.scope)
    today = clock.today(ctx.scope)
    statuses = {}
    current = OrganizationStatus.select(
        OrganizationStatus.organization, OrganizationStatus.status
    ).where(
        OrganizationStatus.start_date <= today,
        OrganizationStatus.end_date.is_null() | (OrganizationStatus.end_date >= today),
    )
    for org_id, status in current.tuples():
        statuses.setdefault(org_id, []).append(vocabulary.label("organization_statuses", status))
    parent = Organization.alias()
    query = (
        Organization.select(
            Organization.id,
            Organization.code,
            Organization.name,
            Organization.short_name,
            Organization.kind,
            Organization.path,
            parent.name,
            Organization.active,
        )
        .join(parent, JOIN.LEFT_OUTER, on=(Organization.parent == parent.id))
        .where(in_subtree(Organization.path, ctx.scope.path))
        .order_by(Organization.path)
        .tuples()
    )
    for org_id, code, name, short, kind, path, parent_name, active in query.iterator():
        yield [
            code,
            name,
            short,
            KINDS.get(kind, kind),
            _municipality_of(path, names),
            parent_name,
            sorted(statuses.get(org_id, [])),
            active,
        ]


ORGANIZATIONS = {
    "code": "organizations",
    "title": "Реестр образовательных организаций",
    "levels": ["region", "hub", "municipality", "organization"],
    "sheets": [
        {
            "name": "Организации",
            "columns": [
                {"header": "Код", "width": 14},
                {"header": "Полное наименование", "width": 50},
                {"header": "Краткое наименование", "width": 24},
                {"header": "Тип", "width": 22},
                {"header": "Муниципалитет", "width": 28},
                {"header": "Вышестоящая организация", "width": 34},
                {"header": "Действующие статусы", "width": 40},
                {"header": "Действует", "width": 11, "type": "boolean"},
            ],
            "rows": _org_rows,
            "count": lambda ctx: (
                Organization.select().where(in_subtree(Organization.path, ctx.scope.path)).count()
            ),
        }
    ],
}


# --- staff register ---------------------------------------------------------


def _staff_query(ctx):
    return (
        StaffMember.select().join(Organization).where(in_subtree(Organization.path, ctx.scope.path))
    )


def _staff_rows(ctx):
    names = _municipality_names(ctx.scope)
    year = ctx.reference_year
    query = (
        StaffMember.select(
            StaffMember.full_name,
            Organization.name,
            Organization.code,
            Organization.path,
            StaffMember.position,
            StaffMember.subjects,
            StaffMember.birth_year,
            StaffMember.teaching_since,
            StaffMember.category,
            StaffMember.is_management,
            StaffMember.associations,
            StaffMember.active,
            StaffMember.code,
        )
        .join(Organization)
        .where(in_subtree(Organization.path, ctx.scope.path))
        .order_by(Organization.path, StaffMember.full_name)
        .tuples()
    )
    for (full_name, org, org_code, path, position, subjects, born, since, category, management,
         associations, active, code) in query.iterator():  # fmt: skip
        yield [
            full_name,
            org,
            org_code,
            _municipality_of(path, names),
            position,
            subjects,
            born,
            year - born,
            None if since is None else year - since,
            CATEGORIES.get(category, category),
            management,
            associations,
            active,
            code,
        ]


STAFF = {
    "code": "staff",
    "personal_data": True,
    "title": "Реестр педагогических работников",
    "levels": ["region", "hub", "municipality", "organization"],
    "sheets": [
        {
            "name": "Работники",
            "columns": [
                {"header": "ФИО", "width": 34},
                {"header": "Организация", "width": 40},
                {"header": "Код ОО", "width": 12},
                {"header": "Муниципалитет", "width": 26},
                {"header": "Должность", "width": 24},
                {"header": "Предметы", "width": 30},
                {"header": "Год рождения", "width": 10, "type": "integer"},
                {"header": "Возраст в году периода", "width": 10, "type": "integer"},
                {"header": "Педагогический стаж, лет", "width": 10, "type": "integer"},
                {"header": "Квалификационная категория", "width": 20},
                {"header": "Управленческая команда", "width": 12, "type": "boolean"},
                {"header": "Методические объединения", "width": 36},
                {"header": "Работает", "width": 10, "type": "boolean"},
                {"header": "Табельный номер", "width": 14},
            ],
            "rows": _staff_rows,
            "count": lambda ctx: _staff_query(ctx).count(),
        }
    ],
}


# --- campaign responses -----------------------------------------------------


def _stable_fields(campaign):
    """Fields of every version of the campaign's form, in first-seen order.

    A field removed in a later version keeps its column (empty for new rows).
    """
    top, tables = {}, {}
    versions = (
        FormDefinition.select()
        .where(FormDefinition.code == campaign.form.code)
        .order_by(FormDefinition.version)
    )
    for version in versions:
        for field in iter_fields(version.definition):
            if field["type"] == "table":
                columns = tables.setdefault(field["name"], {"label": field["label"], "columns": {}})
                for column in field["columns"]:
                    columns["columns"].setdefault(column["name"], column)
            else:
                top.setdefault(field["name"], field)
    return top, tables


COLUMN_TYPE = {"integer": "integer", "decimal": "number", "date": "date", "boolean": "boolean"}


def _cell(field, value, staff_names):
    if is_blank(value):
        return None
    if field["type"] == "staff":
        return staff_names(value)
    if field["type"] == "score":
        return value.get("score")
    return value


def _staff_namer():
    cache = {}

    def name(staff_id):
        if staff_id not in cache:
            row = StaffMember.get_or_none(StaffMember.id == staff_id)
            cache[staff_id] = row.full_name if row else f"№ {staff_id}"
        return cache[staff_id]

    return name


def _base_submission_query(ctx):
    return (
        Submission.select(Submission, Organization)
        .join(Organization)
        .where(
            Submission.campaign == ctx.campaign,
            Submission.deleted_at.is_null(),
            in_subtree(Organization.path, ctx.scope.path),
        )
        .order_by(Organization.path, Submission.id)
    )


def _response_rows(ctx):
    top, _ = _stable_fields(ctx.campaign)
    names = _municipality_names(ctx.scope)
    staff_names = _staff_namer()
    version = ctx.campaign.form.version
    for sub in _base_submission_query(ctx).iterator():
        org = sub.organization
        yield [
            sub.id,
            org.name,
            _municipality_of(org.path, names),
            staff_names(sub.staff_id) if sub.staff_id else None,
            STATES[sub.state],
            version,
            sub.first_submitted_at,
            sub.late if sub.first_submitted_at else None,
            *[_cell(field, sub.data.get(name), staff_names) for name, field in top.items()],
        ]


def _table_rows(ctx):
    _, tables = _stable_fields(ctx.campaign)
    staff_names = _staff_namer()
    all_columns = [
        (t, c, spec) for t, table in tables.items() for c, spec in table["columns"].items()
    ]
    for sub in _base_submission_query(ctx).iterator():
        for table_name, table in tables.items():
            for index, row in enumerate(sub.data.get(table_name) or [], start=1):
                cells = [
                    _cell(spec, row.get(column), staff_names) if t == table_name else None
                    for t, column, spec in all_columns
                ]
                yield [sub.id, sub.organization.name, table["label"], index, *cells]


def _responses_sheets(ctx):
    top, tables = _stable_fields(ctx.campaign)
    first = [
        {"header": "№ ответа", "width": 10, "type": "integer"},
        {"header": "Организация", "width": 40},
        {"header": "Муниципалитет", "width": 24},
        {"header": "Работник", "width": 30},
        {"header": "Состояние", "width": 18},
        {"header": "Версия формы", "width": 9, "type": "integer"},
        {"header": "Отправлена", "width": 16, "type": "datetime"},
        {"header": "С опозданием", "width": 10, "type": "boolean"},
    ]
    first += [
        {"header": f["label"], "width": 18, "type": COLUMN_TYPE.get(f["type"], "text")}
        for f in top.values()
    ]
    sheets = [{"name": "Ответы", "columns": first, "rows": _response_rows}]
    if tables:
        columns = [
            {"header": "№ ответа", "width": 10, "type": "integer"},
            {"header": "Организация", "width": 40},
            {"header": "Таблица", "width": 24},
            {"header": "Строка", "width": 8, "type": "integer"},
        ]
        for table in tables.values():
            columns += [
                {
                    "header": f"{table['label']}: {c['label']}",
                    "width": 18,
                    "type": COLUMN_TYPE.get(c["type"], "text"),
                }
                for c in table["columns"].values()
            ]
        sheets.append({"name": "Таблицы", "columns": columns, "rows": _table_rows})
    return sheets


RESPONSES = {
    "code": "campaign_responses",
    "personal_data": True,
    "title": "Ответы кампании",
    "levels": ["region", "hub", "municipality", "organization"],
    "needs": ["campaign"],
    "sheets": _responses_sheets,
}


# --- campaign progress ------------------------------------------------------


def _progress_rows(ctx):
    campaign = ctx.campaign
    names = _municipality_names(ctx.scope)
    members = audience.organizations(campaign, within_path=ctx.scope.path)
    subs = {
        org_id: (state, first, late)
        for org_id, state, first, late in Submission.select(
            Submission.organization,
            Submission.state,
            Submission.first_submitted_at,
            Submission.late,
        )
        .where(Submission.campaign == campaign, Submission.deleted_at.is_null())
        .tuples()
    }
    overdue = clock.now() >= clock.deadline_end(campaign)
    for member in members:
        state, first, late = subs.get(member.id, (None, None, None))
        submitted = first is not None
        yield [
            member.name,
            _municipality_of(member.path, names),
            STATES[state] if state else "не начата",
            submitted,
            first,
            late if submitted else None,
            (not submitted) and overdue,
        ]


PROGRESS = {
    "code": "campaign_progress",
    "title": "Ход сбора данных кампании",
    "levels": ["region", "hub", "municipality"],
    "needs": ["campaign"],
    "sheets": [
        {
            "name": "Ход сбора",
            "columns": [
                {"header": "Организация", "width": 40},
                {"header": "Муниципалитет", "width": 26},
                {"header": "Состояние", "width": 22},
                {"header": "Сдана", "width": 8, "type": "boolean"},
                {"header": "Отправлена", "width": 16, "type": "datetime"},
                {"header": "С опозданием", "width": 10, "type": "boolean"},
                {"header": "Просрочена", "width": 10, "type": "boolean"},
            ],
            "rows": _progress_rows,
        }
    ],
}


# --- audit results ----------------------------------------------------------


def _audits(ctx):
    return (
        ChecklistAudit.select(ChecklistAudit, Organization)
        .join(Organization)
        .where(in_subtree(Organization.path, ctx.scope.path))
        .order_by(Organization.path, ChecklistAudit.id)
    )


def _criterion_rows(ctx):
    for audit in _audits(ctx).iterator():
        result = audit_results(audit)
        directions = {}
        for section in audit.checklist.definition["sections"]:
            for field in section["fields"]:
                directions[field["name"]] = section["title"]
        for criterion in result["criteria"]:
            yield [
                audit.organization.name,
                audit.checklist.title,
                directions[criterion["name"]],
                criterion["label"],
                criterion["max"],
                criterion["self"],
                criterion["expert"],
                criterion["gap"],
                (audit.expert_data.get(criterion["name"]) or {}).get("evidence"),
            ]


def _direction_rows(ctx):
    for audit in _audits(ctx).iterator():
        result = audit_results(audit)
        for own, expert in zip(
            result["self"]["directions"], result["expert"]["directions"], strict=True
        ):
            yield [
                audit.organization.name,
                audit.checklist.title,
                own["title"],
                own["max"],
                own["points"],
                own["percent"] / 100,
                expert["points"],
                expert["percent"] / 100,
                own["points"] - expert["points"],
            ]


AUDITS = {
    "code": "audit_results",
    "title": "Результаты методического аудита",
    "levels": ["region", "hub", "municipality", "organization"],
    "sheets": [
        {
            "name": "По критериям",
            "columns": [
                {"header": "Организация", "width": 40},
                {"header": "Чек-лист", "width": 34},
                {"header": "Направление", "width": 26},
                {"header": "Критерий", "width": 40},
                {"header": "Максимум", "width": 9, "type": "integer"},
                {"header": "Самооценка", "width": 10, "type": "integer"},
                {"header": "Эксперт", "width": 10, "type": "integer"},
                {"header": "Разница", "width": 9, "type": "integer"},
                {"header": "Комментарий эксперта", "width": 40},
            ],
            "rows": _criterion_rows,
        },
        {
            "name": "По направлениям",
            "columns": [
                {"header": "Организация", "width": 40},
                {"header": "Чек-лист", "width": 34},
                {"header": "Направление", "width": 26},
                {"header": "Максимум", "width": 9, "type": "integer"},
                {"header": "Самооценка, баллы", "width": 10, "type": "integer"},
                {"header": "Самооценка, %", "width": 10, "type": "percent"},
                {"header": "Эксперт, баллы", "width": 10, "type": "integer"},
                {"header": "Эксперт, %", "width": 10, "type": "percent"},
                {"header": "Разница, баллы", "width": 10, "type": "integer"},
            ],
            "rows": _direction_rows,
        },
    ],
}

CORE_EXPORTS = [ORGANIZATIONS, STAFF, RESPONSES, PROGRESS, AUDITS, PORTFOLIO]
