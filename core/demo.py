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

After the core's rows every block adds its own through the ``demo_data`` hook (a
``Demo``: the tree and staff by code, the users by login, a random stream per block and
today's date), switching itself on where it runs.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from core import audit, organizations, users
from core.db import database
from core.demo_roster import DEMO_YEAR, _Roster, _split
from core.models import Organization, OrganizationStatus, StaffMember, User

PASSWORD = "metodnet-demo"


@dataclass
class Demo:
    """What the demo built, for the blocks' ``demo_data``: look things up by code and login,
    draw from ``random(block)`` (its own stream: one block's draws never shift another's)."""

    seed: int
    today: dt.date
    region: Organization
    organizations: dict[str, Organization]  # by code
    staff: dict[str, list[StaffMember]]  # by organisation code, in roster order
    users: dict[str, User]  # by login
    year: int = DEMO_YEAR  # the year the roster's ages and experience are exact for
    counts: dict[str, int] = field(default_factory=dict)  # what the blocks added, by name

    def random(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def staff_under(self, code: str) -> list[StaffMember]:
        """Staff of the organisation ``code`` and of everything under it."""
        path = self.organizations[code].path
        return [
            member
            for org_code, members in self.staff.items()
            if self.organizations[org_code].path.startswith(path)
            for member in members
        ]


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
    # The small municipalities are Tomsk's (seed 002): four hours ahead of the region.
    organizations.set_time_zone(muni, "Asia/Tomsk")
    muni.save()
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


def load(seed: int = 2025, progress=None, today: dt.date | None = None) -> dict:
    """Build the demo region and the blocks' rows in one transaction; return counts."""
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
        demo = _demo(seed, today or dt.date.today(), region, accounts)
        from core.plugin_access import manager

        manager().hook.demo_data(demo=demo)
        step(1)
        audit.record(
            "demo_loaded",
            login="cli",
            object_type="organization",
            object_id=region.id,
            scope_path=region.path,
            after={"staff": len(roster.rows), "users": len(accounts), **demo.counts},
        )
        step(1)
    return {
        "organizations": Organization.select().count(),
        "staff": len(roster.rows),
        "blocks": demo.counts,
    }


def _demo(seed, today, region, accounts) -> Demo:
    by_code = {org.code: org for org in Organization.select().order_by(Organization.id)}
    by_id = {org.id: org.code for org in by_code.values()}
    staff = {}
    for member in StaffMember.select().order_by(StaffMember.id):
        code = by_id[member.organization_id]
        member.organization = by_code[code]  # no query per person when a block reads it
        staff.setdefault(code, []).append(member)
    return Demo(
        seed=seed,
        today=today,
        region=region,
        organizations=by_code,
        staff=staff,
        users={user.login: user for user in accounts},
    )


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
