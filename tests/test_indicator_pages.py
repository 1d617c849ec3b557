"""The page «Показатели» through the test client: the figures of the world checked by hand
(and equal to GET /api/v1/indicators), the trend, the breakdown with drill-down, targets and
statuses, refusals, and a query count that does not grow with the number of units."""

import logging
import re

from core import organizations as tree
from core.db import database
from core.models import StaffMember
from exports import targets
from tests.test_indicator_breakdown import QueryCounter
from tests.test_web_shell import menu, signed_in


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def indicator_row(page, code) -> str:
    found = re.search(rf'<tr id="indicator-{code}">(.*?)</tr>', page.text, re.S)
    assert found, code
    return text(found.group(1))


def breakdown(page) -> list[str]:
    section = re.search(r'<section id="breakdown".*?</section>', page.text, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S).group(1)
    return [text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def dashboard(client, scope, year=2025, indicator="young_share"):
    return client.get(
        "/indicators", query_string={"scope": scope.id, "year": year, "indicator": indicator}
    )


def test_the_figures_of_the_region_checked_by_hand(app, api, world):
    page = dashboard(signed_in(app, "operator"), world.region)
    assert page.status_code == 200
    # Two teachers: Петрова born 1998 (under 35 in 2025, teaching since 2022), Сидоров 1970.
    young = indicator_row(page, "young_share")
    assert young.startswith("Доля педагогов в возрасте до 35 лет")
    assert "кому в первом году периода меньше 35 лет" in young  # the rule in words
    assert "50,0 % 1 / 2 не задана цель не задана" in young
    assert "2022: 50,0 %; 2023: 50,0 %; 2024: 50,0 %; 2025: 50,0 %" in young
    first = indicator_row(page, "first_years")
    # Teaching since 2022 counts as a first three years' teacher in 2022–2024, not in 2025.
    assert " 0 0 " in f" {first} " and "2022: 1; 2023: 1; 2024: 1; 2025: 0" in first
    assert "нет данных" in indicator_row(page, "teachers_per_methodist")  # no methodist: 0
    # Region → hub and municipality A, by proper name; the chart draws the same figures.
    assert breakdown(page) == [
        "Куст Х 0,0 % 0 / 1 — цель не задана",
        "Муниципалитет А 100,0 % 1 / 1 — цель не задана",
    ]
    assert '<svg class="chart" role="img"' in page.text
    assert "Муниципалитет А: 100,0 %" in page.text
    # The same figures as the API.
    report = (
        api.as_("operator")
        .get("/api/v1/indicators", query_string={"scope": world.region.id, "period": "2025"})
        .json
    )
    own = {v["code"]: v for v in report["rows"][0]["values"]}
    assert (own["young_share"]["value"], own["young_share"]["numerator"]) == (50.0, 1)


def test_drill_down_from_region_to_organisations(app, world):
    client = signed_in(app, "operator")
    page = dashboard(client, world.region)
    hub_link = f"/indicators?scope={world.hub.id}&amp;year=2025&amp;indicator=young_share"
    assert hub_link in page.text
    hub = client.get(hub_link.replace("&amp;", "&"))
    assert hub.status_code == 200 and "Показатели: Куст Х" in hub.text
    assert breakdown(hub) == ["Муниципалитет Б 0,0 % 0 / 1 — цель не задана"]
    muni = dashboard(client, world.muni_b)
    # Organisations are the last level: listed without a link.
    assert breakdown(muni) == [
        "Школа Б1 0,0 % 0 / 1 — цель не задана",
        "Школа Б2 — 0 / 0 — нет данных",  # no staff: an empty denominator
    ]
    assert f"scope={world.b1.id}" not in muni.text


def test_a_region_target_sets_the_status_of_its_year_only(app, world):
    with app.app_context(), database.connection_context():
        targets.set_targets(world.region, "young_share", {"2025": 60})
    client = signed_in(app, "operator")
    row = indicator_row(dashboard(client, world.region), "young_share")
    assert "не менее 60,0 % задано регионом не достигнут" in row
    assert "цель не задана" in indicator_row(dashboard(client, world.region, 2024), "young_share")
    rows = breakdown(dashboard(client, world.region))
    assert rows[1] == "Муниципалитет А 100,0 % 1 / 1 60,0 % достигнут"


def test_refusals_are_russian_pages_and_bad_years_are_named(app, world):
    methodist = signed_in(app, "methodist.a")
    assert dashboard(methodist, world.region).status_code == 404
    assert dashboard(methodist, world.muni_b).status_code == 404
    own = methodist.get("/indicators")  # the default: the methodist's municipality
    assert own.status_code == 200 and "Показатели: Муниципалитет А" in own.text
    teacher = signed_in(app, "teacher.a1")
    refused = teacher.get("/indicators")
    assert refused.status_code == 403 and "Недостаточно прав" in refused.text
    assert "Показатели" not in menu(teacher.get("/"))
    assert "Показатели" in menu(methodist.get("/"))
    bad = methodist.get("/indicators", query_string={"year": "1800"})
    assert bad.status_code == 422
    error = re.search(r'<div class="error" id="year-error">(.*?)</div>', bad.text).group(1)
    assert error == "Год должен быть от 2000 до 2100."
    assert 'aria-invalid="true"' in bad.text and "indicator-young_share" not in bad.text


def _queries(client, scope):
    logger = logging.getLogger("peewee")
    counter, level = QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        assert dashboard(client, scope).status_code == 200
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count


def test_queries_do_not_grow_with_the_units(app, world):
    client = signed_in(app, "operator")
    dashboard(client, world.region)  # warm the caches of the first request
    before = _queries(client, world.region)
    with app.app_context(), database.connection_context():
        for n in range(6):
            muni = tree.create(
                kind="municipality", name=f"Город № {n}", code=f"m{n}", parent=world.region
            )
            school = tree.create(kind="school", name=f"Школа {n}", code=f"s{n}", parent=muni)
            StaffMember.create(
                organization=school,
                full_name="Учитель",
                position="учитель",
                birth_year=1990,
                teaching_since=2010,
            )
    page = dashboard(client, world.region)
    assert len(breakdown(page)) == 8
    assert _queries(client, world.region) == before
