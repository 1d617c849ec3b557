"""The block's exports: pairs register, young teachers and their mentors, monitoring
summary, young teachers without a mentor (the list a methodist acts on)."""

from core.api.scoping import in_scopes
from core.models import Organization, StaffMember
from forms.models import Campaign, FormDefinition, Submission
from plugins.mentoring.indicators import young_beginners
from plugins.mentoring.models import MentorPair
from plugins.mentoring.register import ACTIVE, pairs_in

LEVELS = ["region", "hub", "municipality", "organization"]


def _names(ids):
    if not ids:
        return {}
    rows = StaffMember.select(StaffMember.id, StaffMember.full_name).where(
        StaffMember.id.in_(list(ids))
    )
    return dict(rows.tuples())


def _pair_rows(ctx):
    pairs = list(pairs_in(ctx.subtrees).order_by(Organization.path, MentorPair.id))
    names = _names({p.mentor_id for p in pairs} | {p.mentee_id for p in pairs})
    for pair in pairs:
        yield [
            pair.organization.name,
            names.get(pair.mentor_id),
            names.get(pair.mentee_id),
            pair.form,
            pair.subject,
            pair.start,
            pair.end,
            pair.goal,
            pair.status,
        ]


def _mentors_of(young):
    """mentee id → names of their mentors in active pairs."""
    ids = [s.id for s in young]
    if not ids:
        return {}
    pairs = list(MentorPair.select().where(MentorPair.mentee.in_(ids), MentorPair.status == ACTIVE))
    names = _names({p.mentor_id for p in pairs})
    mentors = {}
    for pair in pairs:
        mentors.setdefault(pair.mentee_id, []).append(names.get(pair.mentor_id))
    return mentors


def _young_rows(ctx, *, without_mentor=False):
    young = list(young_beginners(ctx).order_by(Organization.path, StaffMember.full_name))
    mentors = _mentors_of(young)
    year = ctx.reference_year
    for person in young:
        theirs = sorted(mentors.get(person.id, []))
        if without_mentor and theirs:
            continue
        row = [
            person.full_name,
            person.organization.name,
            person.position,
            person.birth_year,
            person.experience_in(year),
        ]
        yield row if without_mentor else [*row, theirs]


YOUNG_COLUMNS = [
    {"header": "ФИО", "width": 34},
    {"header": "Организация", "width": 40},
    {"header": "Должность", "width": 20},
    {"header": "Год рождения", "width": 10, "type": "integer"},
    {"header": "Стаж, лет", "width": 9, "type": "integer"},
]

MONITORING_FIELDS = [
    ("act_adopted", "Локальный акт", "boolean"),
    ("programme_approved", "Программа", "boolean"),
    ("pairs_total", "Пар всего", "integer"),
    ("pairs_teacher", "Учитель – молодой учитель", "integer"),
    ("pairs_peer", "Равный – равному", "integer"),
    ("pairs_group", "Групповое", "integer"),
    ("pairs_school", "Школа – школа", "integer"),
    ("young_covered", "Молодых охвачено", "integer"),
    ("events_held", "Мероприятий", "integer"),
]


def _monitoring_rows(ctx):
    campaigns = (
        Campaign.select(Campaign.id)
        .join(FormDefinition)
        .where(FormDefinition.code == "mentoring_monitoring")
    )
    if ctx.period_start and ctx.period_end:
        campaigns = campaigns.where(
            Campaign.period_start <= ctx.period_end, Campaign.period_end >= ctx.period_start
        )
    query = (
        Submission.select(Submission, Organization)
        .join(Organization)
        .where(
            Submission.campaign.in_(campaigns),
            Submission.deleted_at.is_null(),
            in_scopes(Organization.path, ctx.subtrees),
        )
        .order_by(Organization.path, Submission.id)
    )
    for sub in query.iterator():
        yield [
            sub.organization.name,
            sub.state,
            sub.first_submitted_at,
            *[sub.data.get(name) for name, _, _ in MONITORING_FIELDS],
        ]


EXPORTS = [
    {
        "code": "mentoring_pairs_register",
        "personal_data": True,
        "title": "Реестр наставнических пар",
        "levels": LEVELS,
        "sheets": [
            {
                "name": "Пары",
                "columns": [
                    {"header": "Организация", "width": 40},
                    {"header": "Наставник", "width": 30},
                    {"header": "Наставляемый", "width": 30},
                    {"header": "Форма", "width": 24},
                    {"header": "Предмет", "width": 20},
                    {"header": "Начало", "width": 12, "type": "date"},
                    {"header": "Окончание", "width": 12, "type": "date"},
                    {"header": "Дефицит или цель", "width": 36},
                    {"header": "Состояние", "width": 12},
                ],
                "rows": _pair_rows,
            }
        ],
    },
    {
        "code": "young_teachers_base",
        "personal_data": True,
        "title": "База молодых педагогов и их наставников",
        "levels": LEVELS,
        "sheets": [
            {
                "name": "Молодые педагоги",
                "columns": [*YOUNG_COLUMNS, {"header": "Наставники", "width": 40}],
                "rows": _young_rows,
            }
        ],
    },
    {
        "code": "mentoring_monitoring_summary",
        "title": "Мониторинг программы наставничества: сводка",
        "levels": LEVELS,
        "sheets": [
            {
                "name": "Мониторинг",
                "columns": [
                    {"header": "Организация", "width": 40},
                    {"header": "Состояние анкеты", "width": 14},
                    {"header": "Отправлена", "width": 16, "type": "datetime"},
                    *[
                        {"header": title, "width": 12, "type": kind}
                        for _, title, kind in MONITORING_FIELDS
                    ],
                ],
                "rows": _monitoring_rows,
            }
        ],
    },
    {
        "code": "young_without_mentor",
        "personal_data": True,
        "title": "Молодые педагоги без наставника",
        "levels": LEVELS,
        "sheets": [
            {
                "name": "Без наставника",
                "columns": YOUNG_COLUMNS,
                "rows": lambda ctx: _young_rows(ctx, without_mentor=True),
            }
        ],
    },
]
