"""Support matching: for a teacher's deficits, rank members of the methodical active and
courses of the region's catalogue, and say why each is proposed.

Mentors are ordered by, in turn: how many of the teacher's deficit areas they are strong
in, nearness (same organisation, municipality, hub, region), current load (fewer open
steps first; at the cap they are not proposed), then their score in those areas.
Courses by how many of the deficits they cover, the federal register first, fewer hours.
"""

from dataclasses import dataclass, field

from core.models import Organization, StaffMember
from plugins.diagnostics.active import loads
from plugins.diagnostics.catalogue import AREAS, LEVELS
from plugins.diagnostics.models import ActiveMember, Course, Deficit, Result
from plugins.diagnostics.routes import current_route, open_deficits
from plugins.diagnostics.settings import settings_for

NEARNESS = {
    "organization": (3, "Та же организация"),
    "municipality": (2, "Тот же муниципалитет"),
    "hub": (1, "Тот же межмуниципальный центр"),
    "region": (0, "Тот же регион"),
}


@dataclass
class Mentor:
    staff: StaffMember
    areas: list = field(default_factory=list)  # [(area, score, level)]
    nearness: str = "region"
    load: int = 0
    cap: int = 0

    @property
    def best(self):
        return max(score for _, score, _ in self.areas)

    def key(self):
        return (
            -len(self.areas),
            -NEARNESS[self.nearness][0],
            self.load,
            -self.best,
            self.staff.full_name,
            self.staff.id,
        )

    def reasons(self):
        strengths = [
            f"Сильная сторона: {AREAS[area].lower()} ({LEVELS[level]} уровень, {score:g} %)"
            for area, score, level in self.areas
        ]
        return [
            *strengths,
            NEARNESS[self.nearness][1],
            f"Нагрузка: {self.load} из {self.cap} сопровождаемых шагов",
        ]


def teacher_deficits(staff) -> list[Deficit]:
    route = current_route(staff.id)
    ids = (
        route.deficits
        if route is not None and route.status == "active"
        else open_deficits(staff.id)
    )
    if not ids:
        return []
    found = {d.id: d for d in Deficit.select().where(Deficit.id.in_(ids))}
    return [found[i] for i in ids if i in found]


def _ancestors(org) -> dict[str, int]:
    """kind → id of the organisation's hub and municipality (from its materialised path)."""
    ids = [int(part) for part in org.path.strip("/").split("/") if part]
    return {
        kind: org_id
        for org_id, kind in Organization.select(Organization.id, Organization.kind)
        .where(Organization.id.in_(ids), Organization.kind.in_(["hub", "municipality"]))
        .tuples()
    }


def nearness(teacher_org, ancestors, other_org) -> str:
    if other_org.id == teacher_org.id:
        return "organization"
    for kind in ("municipality", "hub"):
        if kind in ancestors and f"/{ancestors[kind]}/" in other_org.path:
            return kind
    return "region"


def mentors(staff, deficits) -> tuple[list[Mentor], list[Mentor]]:
    """(ranked candidates under the load cap, those left out at the cap)."""
    areas = {d.area for d in deficits}
    if not areas:
        return [], []
    org = staff.organization
    cap = settings_for(org.region_id)["load_cap"]
    members = (
        ActiveMember.select(ActiveMember, StaffMember, Organization)
        .join(StaffMember)
        .join(Organization)
        .where(
            ActiveMember.status == "confirmed",
            ActiveMember.area.in_(list(areas)),
            StaffMember.active == True,  # noqa: E712
            StaffMember.id != staff.id,
            Organization.region_id == org.region_id,
        )
    )
    found: dict[int, Mentor] = {}
    ancestors = _ancestors(org)
    for member in members:
        person = member.staff
        mentor = found.get(person.id)
        if mentor is None:
            mentor = found[person.id] = Mentor(
                staff=person, nearness=nearness(org, ancestors, person.organization), cap=cap
            )
        result = member.result or (
            Result.select()
            .where(Result.staff == person.id, Result.area == member.area)
            .order_by(Result.date.desc(), Result.id.desc())
            .first()
        )
        score = float(result.score) if result else 0.0
        mentor.areas.append((member.area, score, result.level if result else "high"))
    current = loads(list(found))
    ranked, at_cap = [], []
    for mentor in found.values():
        mentor.areas.sort(key=lambda a: list(AREAS).index(a[0]))
        mentor.load = current.get(mentor.staff.id, 0)
        (at_cap if mentor.load >= cap else ranked).append(mentor)
    ranked.sort(key=Mentor.key)
    at_cap.sort(key=Mentor.key)
    return ranked, at_cap


def courses(staff, deficits) -> list[tuple[Course, list[Deficit]]]:
    wanted = {d.id: d for d in deficits}
    if not wanted:
        return []
    found = []
    for course in Course.select().where(
        Course.region == staff.organization.region_id,
        Course.active == True,  # noqa: E712
    ):
        covers = [wanted[d] for d in course.deficits if d in wanted]
        if covers:
            found.append((course, covers))
    found.sort(
        key=lambda item: (
            -len(item[1]),
            not item[0].federal_register,
            item[0].hours,
            item[0].title,
            item[0].id,
        )
    )
    return found


def course_reasons(course, covers) -> list[str]:
    reasons = ["Закрывает дефициты: " + "; ".join(d.title for d in covers)]
    reasons.append(
        "В федеральном реестре ДПП" if course.federal_register else "Не из федерального реестра ДПП"
    )
    reasons.append(f"{course.hours} ч., {course.provider}")
    return reasons
