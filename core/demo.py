"""The demo region, built from the seed documents with a fixed random seed.

* "Ярцевский район" with the organisations and staff of seed 000:
  1 gymnasium, 12 secondary and 5 basic schools, 14 kindergartens and
  2 additional-education organisations; 315 teachers and 56 administrators
  of schools, 13 heads and 216 teachers of kindergartens, 2 heads and
  46 teachers of additional education.
* "городской округ Клин" with the counts of seed 003: 12 schools and one
  additional-education organisation, 857 teachers of whom 169 are under 35
  and 77 in their first three years (in the demo year).
* Smaller municipalities grouped into inter-municipal centres as in Tomsk
  (seed 002), and the regional centre (ЦНППМ).
"""

import random

from core import audit, organizations, users
from core.db import database
from core.models import OrganizationStatus, StaffMember

DEMO_YEAR = 2025  # ages and experience of the demo roster are exact for this year
PASSWORD = "metodnet-demo"

SUBJECTS = [
    "русский язык и литература",
    "английский язык",
    "немецкий язык",
    "французский язык",
    "математика",
    "физика",
    "биология",
    "экология",
    "химия",
    "география",
    "технология",
    "физическая культура",
    "начальные классы",
    "ОБЗР",
    "изобразительное искусство",
    "МХК",
    "музыка",
    "история",
    "обществознание",
    "ОРКСЭ",
    "информатика",
]
RMO = {s: f"РМО учителей: {s}" for s in SUBJECTS}

MALE = (
    [
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Васильев",
        "Петров",
        "Соколов",
        "Михайлов",
        "Новиков",
        "Фёдоров",
        "Морозов",
        "Волков",
        "Алексеев",
        "Лебедев",
        "Семёнов",
        "Егоров",
    ],
    ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай"],
    ["Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Иванович", "Петрович"],
)
FEMALE = (
    [s + "а" for s in MALE[0]],
    [
        "Елена",
        "Ольга",
        "Наталья",
        "Татьяна",
        "Ирина",
        "Светлана",
        "Мария",
        "Анна",
        "Юлия",
        "Екатерина",
        "Людмила",
        "Галина",
    ],
    ["Александровна", "Сергеевна", "Дмитриевна", "Андреевна", "Ивановна", "Петровна"],
)


def _name(rng):
    surnames, names, patronymics = FEMALE if rng.random() < 0.8 else MALE
    return f"{rng.choice(surnames)} {rng.choice(names)} {rng.choice(patronymics)}"


class _Roster:
    """Generates plausible staff rows with controlled age and experience."""

    def __init__(self, rng):
        self.rng = rng
        self.rows = []

    def add(self, org, position, *, count, young=0, first_years=0, management=False, subjects=True):
        """``young`` under 35 in DEMO_YEAR, of whom ``first_years`` in their first 3 years."""
        rng = self.rng
        for i in range(count):
            if i < first_years:
                birth = rng.randint(DEMO_YEAR - 30, DEMO_YEAR - 22)
                since = rng.randint(DEMO_YEAR - 2, DEMO_YEAR)
            elif i < young:
                birth = rng.randint(DEMO_YEAR - 34, DEMO_YEAR - 26)
                since = rng.randint(max(birth + 21, DEMO_YEAR - 12), DEMO_YEAR - 3)
            else:
                birth = rng.randint(DEMO_YEAR - 66, DEMO_YEAR - 35)
                since = rng.randint(birth + 21, min(birth + 35, DEMO_YEAR - 3))
            taught = rng.sample(SUBJECTS, rng.choice((1, 1, 1, 2))) if subjects else []
            experience = DEMO_YEAR - since
            category = (
                "none"
                if experience < 3
                else rng.choice(["conformity", "first", "first", "highest", "highest"])
            )
            self.rows.append(
                {
                    "organization": org.id,
                    "code": f"{org.code}-{len(self.rows) + 1:05d}",
                    "full_name": _name(rng),
                    "position": position,
                    "subjects": taught,
                    "birth_year": birth,
                    "teaching_since": since,
                    "category": category,
                    "is_management": management,
                    "associations": [RMO[s] for s in taught if rng.random() < 0.85],
                    "active": True,
                }
            )


def _split(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def total_steps() -> int:
    return 4


def _org(kind, name, code, parent, short_name=""):
    return organizations.create(
        kind=kind, name=name, code=code, parent=parent, short_name=short_name
    )


def _schools(muni, prefix, specs):
    """specs: [(kind, name template, count)] → created organisations."""
    created = []
    for kind, template, count in specs:
        for n in range(1, count + 1):
            code = f"{prefix}-{len(created) + 1:02d}"
            created.append(_org(kind, template.format(n=n), code, muni))
    return created


def _yartsevo(region_parent, roster):
    muni = _org(
        "municipality",
        "муниципальное образование «Ярцевский район»",
        "yartsevo",
        region_parent,
        "Ярцевский район",
    )
    _org(
        "methodical_centre",
        "Методический кабинет Комитета по образованию Ярцевского района",
        "yartsevo-mk",
        muni,
        "Методический кабинет",
    )
    gymnasium = _schools(muni, "yar-g", [("school", "МБОУ «Гимназия им. А. С. Пушкина»", 1)])
    secondary = _schools(muni, "yar-s", [("school", "МБОУ «Средняя школа № {n}»", 12)])
    basic = _schools(muni, "yar-b", [("school", "МБОУ «Основная школа № {n}»", 5)])
    kindergartens = _schools(muni, "yar-d", [("kindergarten", "МБДОУ «Детский сад № {n}»", 14)])
    additional = _schools(
        muni,
        "yar-a",
        [
            ("additional", "МБУ ДО «Дом детского творчества»", 1),
            ("additional", "МБУ ДО «Детско-юношеская спортивная школа»", 1),
        ],
    )
    schools = gymnasium + secondary + basic
    for org, teachers, admins in zip(schools, _split(315, 18), _split(56, 18), strict=True):
        roster.add(org, "учитель", count=teachers, young=teachers // 6, first_years=teachers // 25)
        roster.add(org, "заместитель директора по УВР", count=admins, management=True)
    for org, teachers, heads in zip(kindergartens, _split(216, 14), _split(13, 14), strict=True):
        roster.add(org, "заведующий", count=heads, management=True, subjects=False)
        roster.add(org, "воспитатель", count=teachers, young=teachers // 5, subjects=False)
    for org, teachers in zip(additional, _split(46, 2), strict=True):
        roster.add(org, "директор", count=1, management=True, subjects=False)
        roster.add(
            org,
            "педагог дополнительного образования",
            count=teachers,
            young=teachers // 5,
            subjects=False,
        )
    return muni, schools


def _klin(region_parent, roster):
    muni = _org("municipality", "городской округ Клин", "klin", region_parent, "Клин")
    _org(
        "methodical_centre",
        "Методический центр управления образования г. о. Клин",
        "klin-mc",
        muni,
        "Методический центр",
    )
    schools = _schools(
        muni, "klin-s", [("school", "МОУ «Средняя общеобразовательная школа № {n}»", 12)]
    )
    additional = _schools(muni, "klin-a", [("additional", "МУ ДО «Центр детского творчества»", 1)])
    orgs = schools + additional
    for org, teachers, young, first in zip(
        orgs, _split(857, 13), _split(169, 13), _split(77, 13), strict=True
    ):
        roster.add(org, "учитель", count=teachers, young=young, first_years=first)
    return muni, schools


def _small(parent, code, name, roster, schools=3, kindergartens=2):
    muni = _org("municipality", name, code, parent)
    orgs = _schools(
        muni,
        code,
        [
            ("school", "МБОУ «Средняя школа № {n}»", schools),
            ("kindergarten", "МБДОУ «Детский сад № {n}»", kindergartens),
        ],
    )
    for org in orgs:
        roster.add(
            org,
            "учитель" if org.kind == "school" else "воспитатель",
            count=14,
            young=3,
            first_years=1,
            subjects=org.kind == "school",
        )
    return muni


def _statuses(klin_schools, yartsevo_schools):
    start = f"{DEMO_YEAR - 2}-09-01"
    rows = [
        (klin_schools[0], "flagship"),
        (klin_schools[0], "municipal_innovation_site"),
        (klin_schools[1], "tochka_rosta"),
        (klin_schools[2], "mentor_school"),
        (klin_schools[11], "low_results"),
        (klin_schools[3], "internship_site"),
        (yartsevo_schools[0], "resource_centre"),
        (yartsevo_schools[1], "base_school"),
        (yartsevo_schools[2], "regional_innovation_site"),
        (yartsevo_schools[17], "low_results"),
    ]
    for org, status in rows:
        OrganizationStatus.create(organization=org, status=status, start_date=start)


def load(seed: int = 2025, progress=None) -> dict:
    """Build the demo region in one transaction; return counts."""
    rng = random.Random(seed)
    roster = _Roster(rng)
    step = progress or (lambda n: None)
    with database.atomic():
        region = _org("region", "Демонстрационный регион", "demo", None, "Демо-регион")
        _org(
            "methodical_centre",
            "Центр непрерывного повышения профессионального мастерства педагогических работников",
            "cnppm",
            region,
            "ЦНППМ",
        )
        north = _org("hub", "Северный межмуниципальный методический центр", "hub-north", region)
        south = _org("hub", "Южный межмуниципальный методический центр", "hub-south", region)
        yartsevo, yartsevo_schools = _yartsevo(north, roster)
        klin, klin_schools = _klin(south, roster)
        _small(north, "asino", "Асиновский район", roster)
        _small(north, "kolpashevo", "Колпашевский район", roster)
        _small(south, "kozhevnikovo", "Кожевниковский район", roster)
        _small(region, "tomsk-rural", "Томский район", roster, schools=4, kindergartens=3)
        _statuses(klin_schools, yartsevo_schools)
        step(1)
        for start in range(0, len(roster.rows), 500):
            StaffMember.insert_many(roster.rows[start : start + 500]).execute()
        step(1)
        teacher = (
            StaffMember.select()
            .where(
                StaffMember.organization == klin_schools[0],
                StaffMember.teaching_since >= DEMO_YEAR - 2,
            )
            .order_by(StaffMember.id)
            .first()
        )
        accounts = _accounts(region, klin, yartsevo, klin_schools[0], teacher)
        from forms import demo as forms_demo

        forms_demo.load(region, accounts[1], klin_schools)
        step(1)
        audit.record(
            "demo_loaded",
            login="cli",
            object_type="organization",
            object_id=region.id,
            scope_path=region.path,
            after={"staff": len(roster.rows), "users": len(accounts)},
        )
        step(1)
    return {"organizations": region.__class__.select().count(), "staff": len(roster.rows)}


ACCOUNTS = [
    # login, role, where, full name
    ("admin", "admin", None, "Администратор системы"),
    ("operator", "regional_operator", "region", "Региональный оператор (ЦНППМ)"),
    ("metodist.klin", "municipal_methodist", "klin", "Методист г. о. Клин"),
    ("metodist.yartsevo", "municipal_methodist", "yartsevo", "Методист Ярцевского района"),
    ("school.klin1", "school_coordinator", "school", "Заместитель директора по УВР, СОШ № 1"),
    ("expert", "expert", "region", "Эксперт методического актива"),
    ("teacher", "teacher", "school", "Молодой педагог СОШ № 1"),
]


def _accounts(region, klin, yartsevo, school, teacher):
    where = {"region": region, "klin": klin, "yartsevo": yartsevo, "school": school, None: None}
    created = []
    for login, role, place, full_name in ACCOUNTS:
        name = teacher.full_name if role == "teacher" else full_name
        user = users.create_user(login=login, password=PASSWORD, full_name=name)
        users.grant(user, role, scope=where[place], staff=teacher if role == "teacher" else None)
        created.append(user)
    return created


def logins_text() -> str:
    from core.access import role_title

    lines = ["", f"Demo logins (password for all: {PASSWORD}):"]
    for login, role, _, _ in ACCOUNTS:
        lines.append(f"  {login:<20} {role_title(role)}")
    lines.append("Open http://127.0.0.1:5000/api/openapi.json for the API.")
    return "\n".join(lines)
