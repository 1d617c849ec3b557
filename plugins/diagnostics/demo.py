"""The block's part of the plain demo (`metodnet demo`): diagnostics runs in Klin.

The regional diagnostics of the autumn reached a quarter of Klin's teachers (and every
beginner, the demo teacher among them) in one or two competence areas; levels follow the
region's thresholds (high ≥ 85, elevated ≥ 65, basic ≥ 40 % by default) and results below
"elevated" name one or two deficits of the catalogue.  Half of those with deficits have a
route (ИОМ) of a course, a mentoring or self-education step and an event, the first steps
done; high results proposed the person to the methodical active, and the methodist
confirmed two of three.  Everything goes through the block's own domain functions.
"""

import datetime as dt

from core.activation import set_enabled
from plugins.diagnostics import active, results, routes
from plugins.diagnostics.catalogue import AREAS
from plugins.diagnostics.models import ActiveMember, Course, Result
from plugins.diagnostics.settings import deficits_of

MUNICIPALITY = "klin"
DIAGNOSED = 0.25
ROUTED = 0.5
COURSES = [
    # title, provider, hours, federal register, areas it covers
    ("Школа современного учителя: функциональная грамотность", "ЦНППМ", 36, True,
     ("methodical",)),
    ("Обновлённые ФГОС и ФООП: содержание и оценивание", "ИРО", 72, True,
     ("subject", "methodical")),
    ("Инклюзивное образование: обучающиеся с ОВЗ", "ЦНППМ", 36, False, ("psych_ped",)),
    ("Цифровая образовательная среда: ФГИС «Моя школа»", "Академия Минпросвещения", 24, True,
     ("digital",)),
    ("Эффективная коммуникация с родителями", "ЦНППМ", 18, False, ("communicative",)),
]  # fmt: skip


def load(demo) -> int:
    klin = demo.organizations[MUNICIPALITY]
    methodist = demo.users["metodist.klin"]
    set_enabled(klin, "diagnostics", True, methodist)
    rng = demo.random("diagnostics")
    catalogue = {}
    for deficit in deficits_of(demo.region.id):
        catalogue.setdefault(deficit.area, []).append(deficit.id)
    courses = _courses(demo.region, catalogue)
    teachers = [s for s in demo.staff_under(MUNICIPALITY) if not s.is_management]
    beginners = [s for s in teachers if demo.year - (s.teaching_since or 0) < 3]
    others = [s for s in teachers if s not in beginners]
    diagnosed = beginners + rng.sample(others, round(DIAGNOSED * len(teachers)) - len(beginners))
    day = demo.today - dt.timedelta(days=60)
    teacher_id = _staff_id(demo.users["teacher"])
    with_deficits = []
    for person in diagnosed:
        found = []
        for area in rng.sample(list(AREAS), rng.choice((1, 1, 2))):
            score = round(min(100.0, max(15.0, rng.gauss(63, 16))), 1)
            if person.id == teacher_id:
                score = min(score, 55.0)  # the demo teacher has deficits and so a route
            values = {"procedure": "regional", "date": day, "area": area, "score": score}
            if score < 65:
                values["deficits"] = rng.sample(catalogue[area], rng.choice((1, 2)))
            found.append(results.record(person, values, user=methodist, source="import")[0])
        if any(r.deficits for r in found):
            with_deficits.append(person)
    routed = [p for p in with_deficits if p.id == teacher_id or rng.random() < ROUTED]
    mentors = [s for s in others if s.age_in(demo.year) >= 40]
    for person in routed:
        _route(person, courses, mentors, rng, demo.today, methodist)
    _decide_active(methodist, rng)
    # The methodical community's expert checks a few results of the beginners.
    expert = demo.users["expert"]
    for result in Result.select().where(Result.staff.in_([p.id for p in beginners[:3]])):
        results.assign_expert(result, expert, user=methodist)
    return len(diagnosed)


def _staff_id(user):
    grant = next(iter(user.grants), None)
    return grant.staff_id if grant else None


def _courses(region, catalogue) -> list[Course]:
    """The region's course catalogue (the API view writes rows the same way)."""
    made = []
    for title, provider, hours, federal, areas in COURSES:
        covered = [d for area in areas for d in catalogue[area]]
        made.append(
            Course.create(
                region=region,
                title=title,
                provider=provider,
                hours=hours,
                federal_register=federal,
                deficits=covered,
            )
        )
    return made


def _route(person, courses, mentors, rng, today, methodist):
    """A route from the person's deficits: a course that covers them, a mentor or
    self-education, an event; the first step done for half of them."""
    route = routes.create(person, user=methodist)
    course = next((c for c in courses if set(c.deficits) & set(route.deficits)), courses[0])
    begun = rng.random() < 0.5
    routes.add_step(
        route,
        {
            "kind": "course",
            "course_id": course.id,
            "planned_start": today - dt.timedelta(days=40),
            "planned_end": today - dt.timedelta(days=10),
            "status": "done" if begun else "in_progress",
            "evidence": "Удостоверение о повышении квалификации" if begun else "",
            "completed_on": today - dt.timedelta(days=10) if begun else None,
        },
        user=methodist,
    )
    if mentors and rng.random() < 0.5:
        mentor = rng.choice(mentors)
        second = {"kind": "mentoring", "title": f"Наставничество: {mentor.full_name}",
                  "supporter_id": mentor.id}  # fmt: skip
    else:
        second = {"kind": "self_education", "title": "Изучение методических материалов по теме"}
    routes.add_step(
        route,
        {**second, "planned_start": today, "planned_end": today + dt.timedelta(days=90)},
        user=methodist,
    )
    routes.add_step(
        route,
        {
            "kind": "event",
            "title": "Открытый урок на заседании РМО",
            "planned_start": today + dt.timedelta(days=100),
            "planned_end": today + dt.timedelta(days=100),
        },
        user=methodist,
    )


def _decide_active(methodist, rng):
    """The methodist confirms two of three proposed members; the rest wait for a decision."""
    proposed = (
        ActiveMember.select().where(ActiveMember.status == "proposed").order_by(ActiveMember.id)
    )
    for member in list(proposed):
        if rng.random() < 2 / 3:
            active.decide(member, "confirm", "Высокий результат диагностики", methodist)
