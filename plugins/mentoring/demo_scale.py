"""The block's part of `metodnet demo --scale`: switched on in every region, pairs for
beginners, and the annual monitoring with answers in every state.

Proportions: about three quarters of the staff in their first three years have an
active mentor from their own organisation with at least ten years of experience
(a mentor takes one or two mentees); a tenth of the pairs already finished.
"""

import datetime as dt

from core.demo_scale import (
    YEAR,
    World,
    insert_dicts,
    open_campaign,
    reset_sequences,
    submission_rows,
)
from core.models import PluginActivation
from plugins.mentoring.declarations import FORMS_OF_MENTORING
from plugins.mentoring.models import MentorPair
from plugins.mentoring.register import ACTIVE

COVERED = 0.75
FINISHED = 0.10
MAX_MENTEES = 2


def _pairs(world: World) -> list[dict]:
    rng = world.rng("mentoring.pairs")
    rows = []
    for org in world.organizations:
        staff = org["staff"]
        mentors = [i for i in staff if YEAR - world.staff_since[i] >= 10]
        load = dict.fromkeys(mentors, 0)
        for index in staff:
            if not world.is_beginner(index) or rng.random() >= COVERED:
                continue
            free = [m for m in mentors if load[m] < MAX_MENTEES]
            if not free:
                break
            mentor = rng.choice(free)
            load[mentor] += 1
            start = dt.date(world.staff_since[index], 9, 1)
            finished = rng.random() < FINISHED
            rows.append(
                {
                    "organization": org["id"],
                    "mentor": mentor + 1,
                    "mentee": index + 1,
                    "form": FORMS_OF_MENTORING[0] if rng.random() < 0.8 else FORMS_OF_MENTORING[1],
                    "start": start,
                    "end": start.replace(year=start.year + 1, month=6, day=30),
                    "status": "завершена" if finished else ACTIVE,
                }
            )
    return rows


def _answer(org, rng):
    adopted = rng.random() < 0.85
    data = {
        "act_adopted": adopted,
        "programme_approved": adopted and rng.random() < 0.9,
        "pairs_teacher": rng.randint(0, 6),
        "pairs_peer": rng.randint(0, 2),
        "pairs_group": rng.randint(0, 1),
        "pairs_school": 0,
        "young_covered": rng.randint(0, 6),
    }
    data["pairs_total"] = data["pairs_teacher"] + data["pairs_peer"] + data["pairs_group"]
    if adopted:
        data["act_date"] = f"{YEAR - 1}-08-30"
        data["act_number"] = f"{rng.randint(10, 199)}-о"
    return data


def _monitoring(world: World) -> int:
    from forms.models import Submission
    from forms.store import latest

    form = latest("mentoring_monitoring")
    if form is None:  # the block's forms are stored by `metodnet db upgrade`
        return 0
    rng = world.rng("mentoring.monitoring")
    states = [("draft", 0.10), ("submitted", 0.20), ("returned", 0.05), ("accepted", 0.55)]
    total = 0
    for region in world.regions:
        campaign = open_campaign(
            form,
            region,
            f"Мониторинг реализации целевой модели наставничества, {YEAR}",
            ["school"],
            deadline=dt.date(YEAR, 5, 31),
        )
        schools = [
            o
            for o in world.organizations
            if o["region_id"] == region["id"] and o["kind"] == "school"
        ]
        rows = submission_rows(campaign, schools, rng, _answer, states=states, trashed=0.02)
        total += insert_dicts(Submission, rows)
    reset_sequences(Submission)
    return total


def generate(world: World) -> int:
    """Insert the block's rows; return how many pairs were made."""
    for region in world.regions:
        PluginActivation.insert(
            organization=region["id"], plugin="mentoring", enabled=True
        ).execute()
    pairs = _pairs(world)
    insert_dicts(MentorPair, pairs)
    reset_sequences(MentorPair)
    _monitoring(world)
    return len(pairs)
