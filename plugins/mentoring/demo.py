"""The block's part of the plain demo (`metodnet demo`): mentoring runs in Klin.

Seed 003 counts 169 teachers under 35 and 77 in their first three years there; the
schools paired 70 % of the beginners (the regional target) with experienced colleagues of
the same school, and a few young teachers work in peer pairs.  The September register
went through the form engine like any school's (draft → submitted → accepted by the
methodist), so the current register is what the block keeps from accepted submissions;
two schools are still in review or drafting.  The May monitoring is open with answers in
every state but the first school's (its coordinator has it to fill), and the mentor
school supports the school with low results.
"""

import datetime as dt

from core.activation import set_enabled
from forms import schedules, store, workflow
from forms.references import checker
from forms.scheduled_campaigns import open_period
from plugins.mentoring.declarations import MONITORING, PAIRS
from plugins.mentoring.models import MentorSchoolLink
from plugins.mentoring.register import ACTIVE, sync_from
from plugins.mentoring.rules import YOUNG_FORM

MUNICIPALITY = "klin"
COVERED = 0.70  # share of beginners paired: the region's coverage target
PEER_FORM = "равный – равному"
GOALS = [
    "Адаптация в коллективе и освоение ФООП",
    "Подготовка к открытому уроку",
    "Работа с родителями и классное руководство",
    "Формирующее оценивание на уроке",
    "Подготовка обучающихся к ГИА",
]
REGISTER_STATES = ["accepted"] * 10 + ["submitted", "draft"]
MONITORING_STATES = [None, "submitted", "draft", "returned", "accepted", "submitted"]


def load(demo) -> int:
    klin = demo.organizations[MUNICIPALITY]
    methodist = demo.users["metodist.klin"]
    set_enabled(klin, "mentoring", True, methodist)
    rng = demo.random("mentoring")
    schools = sorted(
        (o for o in demo.organizations.values() if o.parent_id == klin.id and o.kind == "school"),
        key=lambda o: o.code,
    )
    start = dt.date(demo.year, 9, 1)
    pairs_by_school = {school.id: _pairs(demo, school, rng, start) for school in schools}
    register = _open(PAIRS, klin, demo, start, methodist)
    for school, state in zip(schools, REGISTER_STATES, strict=True):
        rows = pairs_by_school[school.id]
        submission = _fill(register, school, {"pairs": rows}, state, demo, methodist)
        if state == "accepted":
            sync_from(submission)
    monitoring = _open(MONITORING, klin, demo, dt.date(demo.year, 1, 1), methodist)
    for school, state in zip(schools, MONITORING_STATES, strict=False):
        if state is not None:
            answers = _monitoring_answers(pairs_by_school[school.id], rng, demo.year)
            _fill(monitoring, school, answers, state, demo, methodist)
    _mentor_school(demo, methodist, start)
    return sum(len(rows) for rows in pairs_by_school.values())


def _open(declaration, klin, demo, period_day, methodist):
    """The campaign of the demo year's period, open today (its key is the schedule's, so
    the schedule job never opens that period again)."""
    schedule = declaration["schedule"]
    found = schedules.occurrence(schedule, period_day.replace(month=12, day=31))
    start, end = schedules.period_containing(schedule["period"], period_day)
    found = found._replace(
        opens_on=min(found.opens_on, demo.today - dt.timedelta(days=5)),
        deadline=max(found.deadline, demo.today + dt.timedelta(days=25)),
        period_start=start,
        period_end=end,
    )
    form = store.latest(declaration["code"])
    return open_period(form, klin, found, schedule, user=methodist)


def _pairs(demo, school, rng, start) -> list[dict]:
    """Beginners paired with experienced teachers of the same school (two mentees at most),
    and one peer pair of young teachers where there are two."""
    staff = demo.staff[school.code]
    year = demo.year
    beginners = [s for s in staff if s.teaching_since is not None and year - s.teaching_since < 3]
    young = [s for s in staff if s.age_in(year) < 35 and s not in beginners]
    seniors = [s for s in staff if s.age_in(year) >= 40 and (s.experience_in(year) or 0) >= 10]
    rng.shuffle(seniors)
    rows, load = [], {}
    for mentee in beginners[: round(COVERED * len(beginners))]:  # the demo teacher is first
        subject = (mentee.subjects or [""])[0]
        same = [m for m in seniors if subject in m.subjects and load.get(m.id, 0) < 2]
        mentor = (same or [m for m in seniors if load.get(m.id, 0) < 2])[0]
        load[mentor.id] = load.get(mentor.id, 0) + 1
        rows.append(_row(mentor, mentee, YOUNG_FORM, subject, start, rng.choice(GOALS)))
    if len(young) >= 2:
        mentor, mentee = young[0], young[1]
        rows.append(_row(mentor, mentee, PEER_FORM, "", start, "Взаимопосещение уроков"))
    return rows


def _row(mentor, mentee, form, subject, start, goal):
    return {
        "mentor": mentor.id,
        "mentee": mentee.id,
        "form": form,
        "subject": subject,
        "start": start.isoformat(),
        "end": start.replace(year=start.year + 1, month=5, day=31).isoformat(),
        "goal": goal,
        "status": ACTIVE,
    }


def _fill(campaign, school, data, state, demo, methodist):
    """A school's answer taken through the workflow to ``state``."""
    coordinator = demo.users["school.klin1"] if school.code == "klin-s-01" else None
    refs = checker(school)
    submission, _, _ = workflow.save_draft(
        campaign, school, None, data, expected_version=None, user=coordinator, refs=refs
    )
    if state == "draft":
        return submission
    workflow.submit(
        submission,
        expected_version=submission.version,
        user=coordinator,
        refs=refs,
        confirm_warnings=True,
    )
    if state == "accepted":
        workflow.accept(submission, user=methodist)
    elif state == "returned":
        workflow.return_for_revision(
            submission,
            reason="Укажите номер и дату локального акта.",
            field_comments={"act_number": "Номер акта не совпадает с приказом."},
            user=methodist,
        )
    return submission


def _monitoring_answers(rows, rng, year) -> dict:
    teacher = sum(1 for r in rows if r["form"] == YOUNG_FORM)
    peer = len(rows) - teacher
    return {
        "act_adopted": True,
        "act_date": f"{year - 1}-08-{rng.randint(20, 31)}",
        "act_number": f"{rng.randint(10, 150)}-о",
        "programme_approved": True,
        "pairs_total": len(rows),
        "pairs_teacher": teacher,
        "pairs_peer": peer,
        "pairs_group": 0,
        "pairs_school": 0,
        "young_covered": len({r["mentee"] for r in rows}),
        "events_held": rng.randint(2, 9),
    }


def _mentor_school(demo, methodist, start):
    """The mentor school of Klin supports the school with low results (seed 003, 2.3.1).
    The block has no domain function for links apart from its API view, so the row is
    written as that view writes it."""
    MentorSchoolLink.create(
        mentor_school=demo.organizations["klin-s-03"],
        supported_school=demo.organizations["klin-s-12"],
        start=start,
        goal="Повышение качества преподавания математики и русского языка",
        created_by=methodist,
    )
