"""The block's part of `metodnet demo --scale`: switched on in every region, the default
deficit catalogue and a course catalogue, results for 60 % of the staff, routes for most
of those with deficits, and the methodical active from the high results.

Proportions (seed 003's targets as the picture to aim at): 60 % diagnosed in one or two
areas; scores around 62 % of the maximum; a deficit or two below the "elevated" level;
three quarters of those get a route of two or three steps, half of the routes completed;
high results proposed to the active, two thirds of them confirmed.
"""

import datetime as dt

from core.demo_scale import YEAR, World, bulk_insert, reset_sequences
from core.models import PluginActivation
from plugins.diagnostics.catalogue import AREAS, DEFAULT_DEFICITS, DEFAULT_THRESHOLDS, STEP_KINDS
from plugins.diagnostics.models import ActiveMember, Course, Deficit, Result, Route, Step
from plugins.diagnostics.settings import level_for

DIAGNOSED = 0.60
ROUTED = 0.75
COMPLETED = 0.50
CONFIRMED = 2 / 3
AT = dt.datetime(YEAR, 3, 1, 10, 0)

RESULT_FIELDS = [
    Result.id,
    Result.staff,
    Result.procedure,
    Result.date,
    Result.area,
    Result.score,
    Result.level,
    Result.deficits,
    Result.source,
    Result.created_at,
]
ROUTE_FIELDS = [
    Route.id,
    Route.staff,
    Route.status,
    Route.deficits,
    Route.note,
    Route.created_at,
    Route.completed_at,
]
STEP_FIELDS = [
    Step.id,
    Step.route,
    Step.kind,
    Step.title,
    Step.course,
    Step.deficits,
    Step.planned_start,
    Step.planned_end,
    Step.status,
    Step.evidence,
    Step.completed_on,
    Step.created_at,
]
ACTIVE_FIELDS = [
    ActiveMember.id,
    ActiveMember.staff,
    ActiveMember.area,
    ActiveMember.status,
    ActiveMember.result,
    ActiveMember.proposed_at,
    ActiveMember.reason,
]
# fmt: skip


def _catalogues(world: World):
    """Deficit ids by (region, area) and course ids by (region, deficit)."""
    deficits, courses, deficit_rows, course_rows = {}, {}, [], []
    for region in world.regions:
        for area, titles in DEFAULT_DEFICITS.items():
            for title in titles:
                deficit_id = len(deficit_rows) + 1
                deficit_rows.append((deficit_id, region["id"], area, title, True))
                deficits.setdefault((region["id"], area), []).append(deficit_id)
                federal = len(course_rows) % 2 == 0
                course_id = len(course_rows) + 1
                hours = 36 if federal else 18
                course_rows.append((course_id, region["id"], f"Курс: {title}", "ЦНППМ", hours,
                                    federal, [deficit_id], True))  # fmt: skip
                courses[deficit_id] = course_id
    bulk_insert(Deficit, [Deficit.id, Deficit.region, Deficit.area, Deficit.title,
                          Deficit.active], deficit_rows)  # fmt: skip
    bulk_insert(Course, [Course.id, Course.region, Course.title, Course.provider, Course.hours,
                         Course.federal_register, Course.deficits, Course.active],
                course_rows)  # fmt: skip
    reset_sequences(Deficit, Course)
    return deficits, courses


def generate(world: World) -> int:
    """Insert the block's rows; return how many results were made."""
    for region in world.regions:
        PluginActivation.insert(
            organization=region["id"], plugin="diagnostics", enabled=True
        ).execute()
    deficits, courses = _catalogues(world)
    region_of = {org["id"]: org["region_id"] for org in world.organizations}
    rng = world.rng("diagnostics")
    areas = list(AREAS)
    results, routes, steps, active = [], [], [], []
    for index, org_id in enumerate(world.staff_org):
        if rng.random() >= DIAGNOSED:
            continue
        staff_id, region_id = index + 1, region_of[org_id]
        found = []
        for area in rng.sample(areas, 1 if rng.random() < 0.7 else 2):
            score = round(min(100.0, max(0.0, rng.gauss(62, 18))), 1)
            level = level_for(score, DEFAULT_THRESHOLDS)
            topics = deficits[(region_id, area)]
            picked = rng.sample(topics, rng.randint(1, 2)) if level in ("basic", "low") else []
            found += picked
            result_id = len(results) + 1
            date = dt.date(YEAR, rng.randint(2, 4), rng.randint(1, 28))
            results.append((result_id, staff_id, "regional", date, area, score, level, picked,
                            "import", AT))  # fmt: skip
            if level == "high":
                status = "confirmed" if rng.random() < CONFIRMED else "proposed"
                active.append((len(active) + 1, staff_id, area, status, result_id, AT, ""))
        if not found or rng.random() >= ROUTED:
            continue
        route_id = len(routes) + 1
        completed = rng.random() < COMPLETED
        routes.append(
            (
                route_id,
                staff_id,
                "completed" if completed else "active",
                found,
                "",
                dt.datetime(YEAR, 5, 1),
                dt.datetime(YEAR, 11, 1) if completed else None,
            )
        )
        kinds = ["course", "self_education"] + (["event"] if rng.random() < 0.5 else [])
        for n, kind in enumerate(kinds):
            done = completed or (n == 0 and rng.random() < 0.4)
            course = courses[found[0]] if kind == "course" else None
            steps.append(
                (
                    len(steps) + 1,
                    route_id,
                    kind,
                    STEP_KINDS[kind],
                    course,
                    found[:1],
                    dt.date(YEAR, 6, 1),
                    dt.date(YEAR, 10, 31),
                    "done" if done else "planned",
                    "удостоверение" if done else "",
                    dt.date(YEAR, 10, 15) if done else None,
                    dt.datetime(YEAR, 5, 1),
                )
            )
    # fmt: skip
    bulk_insert(Result, RESULT_FIELDS, results)
    bulk_insert(Route, ROUTE_FIELDS, routes)
    bulk_insert(Step, STEP_FIELDS, steps)
    bulk_insert(ActiveMember, ACTIVE_FIELDS, active)
    reset_sequences(Result, Route, Step, ActiveMember)
    return len(results)
