"""The growth profile (GET /api/v1/staff/{id}/profile), «Портфолио педагога» and the
methodical-network coverage indicator, through the HTTP API."""

import datetime as dt
import io

import openpyxl
import pytest

from core import activities
from core.db import database
from core.models import AuditEntry, StaffMember
from tests.diagnostics_fixtures import YEAR, deficit, person, result


def _profile(api, who, staff):
    return api.as_(who).get(f"/api/v1/staff/{staff.id}/profile")


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("teacher_a1", "staff_a1", 200),  # their own
        ("teacher_a1", "colleague", 403),  # their school, not their record
        ("teacher_a1", "staff_b1", 404),  # outside what they see
        ("coord_a1", "staff_a1", 200),
        ("coord_a1", "staff_b1", 404),
        ("coord_b1", "staff_a1", 404),
        ("methodist_a", "colleague", 200),
        ("methodist_b", "staff_a1", 404),  # another municipality
        ("expert_a", "staff_a1", 403),  # sees the municipality, not its roster
        ("operator", "staff_b1", 200),
    ],
)
def test_profile_is_seen_like_the_staff_record(api, world, who, whose, status):
    colleague = person(world.a1, "Коллега Ольга Петровна")
    staff = colleague if whose == "colleague" else getattr(world, whose)
    response = _profile(api, who, staff)
    assert response.status_code == status, response.json
    assert api.as_(who).get(f"/api/v1/staff/{staff.id}").status_code == status
    with database.connection_context():
        reads = AuditEntry.select().where(
            AuditEntry.action == "pd_read", AuditEntry.object_id == staff.id
        )
        vias = sorted(entry.after["via"] for entry in reads)
    assert vias == (["profile", "record"] if status == 200 else [])


def test_profile_gathers_card_activities_and_block_sections(api, world, diag):
    staff = world.staff_a1
    result(api, "methodist_a", staff.id, area="digital", score=91, date=f"{YEAR}-02-01")
    result(api, "methodist_a", staff.id, area="methodical", score=50, date=f"{YEAR}-02-01",
           deficits=[deficit(diag, "Формирующее оценивание")])  # fmt: skip
    with database.connection_context():
        activities.record(
            staff, block="sample", source=("talk", 2), kind="event", role="speaker",
            level="regional", title="Доклад на форуме", date=dt.date(2024, 11, 5),
        )  # fmt: skip
        activities.record(
            staff, block="sample", source=("talk", 1), kind="contest", role="participant",
            level="municipal", title="Педагогический дебют", date=dt.date(2023, 2, 1),
            result="prize_winner",
        )  # fmt: skip
    response = _profile(api, "teacher_a1", staff)
    assert response.status_code == 200, response.json
    profile = response.json
    assert profile["staff"]["full_name"] == "Петрова Анна Ивановна"
    assert profile["organization"] == {"id": world.a1.id, "name": "Школа А1"}
    assert profile["category"] == {"value": "none", "label": "Без категории"}
    assert [(a["date"], a["title"]) for a in profile["activities"]] == [
        ("2023-02-01", "Педагогический дебют"),
        ("2024-11-05", "Доклад на форуме"),
    ]
    first = profile["activities"][0]
    assert first["kind"] == {"value": "contest", "label": "Конкурс профессионального мастерства"}
    assert first["level"] == {"value": "municipal", "label": "Муниципальный"}
    assert first["result"] == {"value": "prize_winner", "label": "Призёр"}
    sections = {s["code"]: s for s in profile["sections"]}
    assert "mentoring_pairs" not in sections  # mentoring is off in A
    results = sections["diagnostics_results"]
    assert results["block"] == "diagnostics" and results["title"] == "Результаты диагностики"
    assert [(i["label"], i["value"], i["date"]) for i in results["items"]] == [
        ("Цифровые компетенции", "высокий уровень, балл 91 (региональная)", f"{YEAR}-02-01"),
        ("Методические компетенции", "базовый уровень, балл 50 (региональная)", f"{YEAR}-02-01"),
    ]
    route = api.as_("coord_a1").post(f"/api/v1/diagnostics/staff/{staff.id}/routes", json={})
    assert route.status_code == 201, route.json
    again = _profile(api, "methodist_a", staff).json
    [item] = {s["code"]: s for s in again["sections"]}["diagnostics_route"]["items"]
    assert item["label"] == "Маршрут: реализуется"
    assert item["value"] == "выполнено шагов 0 из 0 (0 %)"
    assert item["href"] == f"/diagnostics/staff/{staff.id}"  # the page a methodist reads it on
    spec = api.get("/api/openapi.json").json
    assert "/api/v1/staff/{staff_id}/profile" in spec["paths"]
    assert "/api/v1/staff/{staff_id}/portfolio" in spec["paths"]


# --- «Портфолио педагога» --------------------------------------------------------------


def _seed_portfolio(world):
    """Петрова: a mentor, a speaker at the municipality, a course, a cancelled contest."""
    rows = [
        ("mentoring", "mentor", "school", "Наставничество (учитель – молодой учитель)",
         dt.date(2024, 9, 1), None, None, "in_progress", ""),
        ("event", "speaker", "municipal", "Доклад на августовском совещании",
         dt.date(2024, 8, 28), None, None, None, "https://edu.example/program.pdf"),
        ("course", "participant", "federal", "Формирующее оценивание (АСОУ)",
         dt.date(2024, 3, 1), None, 36, "completed", "удостоверение № 123"),
    ]  # fmt: skip
    with database.connection_context():
        for n, (kind, role, level, title, date, end, hours, outcome, evidence) in enumerate(rows):
            activities.record(
                world.staff_a1, block="sample", source=("item", n), kind=kind, role=role,
                level=level, title=title, date=date, end=end, hours=hours, result=outcome,
                evidence=evidence,
            )  # fmt: skip
        activities.record(
            world.staff_a1, block="sample", source=("item", 9), kind="contest",
            role="participant", level="regional", title="Отозванная заявка",
            date=dt.date(2024, 2, 1),
        )  # fmt: skip
        activities.withdraw("sample", ("item", 9))
        activities.record(
            world.staff_b1, block="sample", source=("item", 1), kind="expertise", role="juror",
            level="regional", title="Жюри конкурса «Учитель года»", date=dt.date(2024, 4, 1),
        )  # fmt: skip


def _rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Портфолио"]
    header = [c for c in next(sheet.iter_rows(min_row=6, max_row=6, values_only=True))]
    return header, [list(r) for r in sheet.iter_rows(min_row=7, values_only=True)]


def test_portfolio_groups_the_evidence_by_attestation_track(api, world):
    _seed_portfolio(world)
    listed = api.as_("coord_a1").get("/api/v1/exports", query_string={"scope": world.a1.id})
    assert "teacher_portfolio" in [e["code"] for e in listed.json["items"]]
    response = api.as_("coord_a1").get(
        "/api/v1/exports/teacher_portfolio", query_string={"scope": world.a1.id}
    )
    assert response.status_code == 200, response.json
    header, rows = _rows(response.data)
    assert header == [
        "ФИО", "Организация", "Направление аттестации", "Вид деятельности", "Роль", "Уровень",
        "Содержание", "Результат", "Дата", "Окончание", "Часов", "Подтверждение",
    ]  # fmt: skip
    assert [(r[0], r[2], r[4], r[6]) for r in rows] == [
        (
            "Петрова Анна Ивановна",
            "Первая и высшая категории",
            "Участник",
            "Формирующее оценивание (АСОУ)",
        ),
        (
            "Петрова Анна Ивановна",
            "Первая и высшая категории",
            "Выступающий",
            "Доклад на августовском совещании",
        ),
        (
            "Петрова Анна Ивановна",
            "Первая и высшая категории",
            "Наставник",
            "Наставничество (учитель – молодой учитель)",
        ),
        (
            "Петрова Анна Ивановна",
            "Педагог-наставник",
            "Наставник",
            "Наставничество (учитель – молодой учитель)",
        ),
        (
            "Петрова Анна Ивановна",
            "Педагог-методист",
            "Выступающий",
            "Доклад на августовском совещании",
        ),
    ]  # fmt: skip  (the cancelled application and the other school's juror are not there)
    course = rows[0]
    assert course[3] == "Повышение квалификации" and course[5] == "Федеральный"
    assert course[7] == "Завершено" and course[8] == dt.datetime(2024, 3, 1)
    assert course[10] == 36 and course[11] == "удостоверение № 123"
    # The region: the juror from Б1 counts for the methodist track.
    region = api.as_("operator").get(
        "/api/v1/exports/teacher_portfolio", query_string={"scope": world.region.id}
    )
    _, all_rows = _rows(region.data)
    assert ("Сидоров Олег Петрович", "Педагог-методист", "Член жюри") in {
        (r[0], r[2], r[4]) for r in all_rows
    }
    # A period keeps what overlaps it.
    spring = api.as_("coord_a1").get(
        "/api/v1/exports/teacher_portfolio",
        query_string={"scope": world.a1.id, "period": "2024-03"},
    )
    assert [r[6] for r in _rows(spring.data)[1]] == ["Формирующее оценивание (АСОУ)"]


def test_a_teacher_downloads_their_own_portfolio(api, world):
    _seed_portfolio(world)
    own = api.as_("teacher_a1").get(f"/api/v1/staff/{world.staff_a1.id}/portfolio")
    assert own.status_code == 200
    _, rows = _rows(own.data)
    assert {r[0] for r in rows} == {"Петрова Анна Ивановна"} and len(rows) == 5
    assert (
        api.as_("teacher_a1").get(f"/api/v1/staff/{world.staff_b1.id}/portfolio").status_code == 404
    )
    with database.connection_context():
        logged = AuditEntry.get(AuditEntry.action == "export")
    assert logged.after["code"] == "teacher_portfolio" and logged.after["personal_data"] is True
    assert logged.scope_path == world.a1.path


# --- coverage indicator --------------------------------------------------------------


def _coverage(api, scope, period, who="methodist_a"):
    report = api.as_(who).get(
        "/api/v1/indicators", query_string={"scope": scope.id, "period": period}
    )
    assert report.status_code == 200, report.json
    return {
        row["organization_id"]: {v["code"]: v for v in row["values"]}["methodical_network_coverage"]
        for row in report.json["rows"]
    }


def test_coverage_of_the_methodical_network(api, world):
    with database.connection_context():
        # Школа А1: Петрова (an activity in 2024), Кузнецова (only a cancelled one in 2024),
        # Морозов (an activity in 2023); a dismissed teacher with a 2024 one is not counted.
        second = StaffMember.create(organization=world.a1, full_name="Кузнецова Мария",
                                    position="учитель", birth_year=1980)  # fmt: skip
        third = StaffMember.create(organization=world.a1, full_name="Морозов Павел",
                                   position="учитель", birth_year=1975)  # fmt: skip
        gone = StaffMember.create(organization=world.a1, full_name="Ушедшая Вера",
                                  position="учитель", birth_year=1970, active=False)  # fmt: skip
        common = {"block": "sample", "kind": "event", "role": "participant", "level": "school"}
        activities.record(world.staff_a1, source=("e", 1), title="Семинар",
                          date=dt.date(2024, 5, 14), **common)  # fmt: skip
        activities.record(second, source=("e", 2), title="Отменённый семинар",
                          date=dt.date(2024, 6, 1), **common)  # fmt: skip
        activities.withdraw("sample", ("e", 2))
        activities.record(third, source=("e", 3), title="Курсы", date=dt.date(2023, 11, 2),
                          **common)  # fmt: skip
        activities.record(gone, source=("e", 4), title="Семинар", date=dt.date(2024, 5, 14),
                          **common)  # fmt: skip
    by_unit = _coverage(api, world.muni_a, "2024")
    # By hand: 1 covered of 3 active in А1; Сад А2 has no staff — no data, not 0 %.
    school = by_unit[world.a1.id]
    assert (school["numerator"], school["denominator"], school["value"]) == (1, 3, 33.33)
    assert school["target"] == 100 and school["status"] == "not_met"
    assert by_unit[world.a2.id]["value"] is None and by_unit[world.a2.id]["status"] == "no_data"
    assert (by_unit[world.muni_a.id]["numerator"], by_unit[world.muni_a.id]["denominator"]) == (
        1,
        3,
    )
    earlier = _coverage(api, world.muni_a, "2023")[world.a1.id]
    assert (earlier["numerator"], earlier["target"], earlier["status"]) == (1, 60, "not_met")
    # A pair running from September to May counts in both years it touches.
    with database.connection_context():
        activities.record(second, source=("e", 5), title="Наставничество",
                          date=dt.date(2023, 9, 1), end=dt.date(2024, 5, 31),
                          **{**common, "kind": "mentoring", "role": "mentee"})  # fmt: skip
    assert _coverage(api, world.muni_a, "2024")[world.a1.id]["numerator"] == 2
    assert _coverage(api, world.muni_a, "2023")[world.a1.id]["numerator"] == 2
    # The region's figure is the sum of its units (Петрова and Кузнецова in А1, nobody in Б).
    region = _coverage(api, world.region, "2024", who="operator")[world.region.id]
    assert (region["numerator"], region["denominator"]) == (2, 4)
    assert region["value"] == 50.0 and region["status"] == "not_met"
