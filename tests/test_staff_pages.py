"""The staff roster pages through the test client: filters computed by hand, pages, add,
edit and dismiss seen through the API and the audit log, file uploads all-or-nothing, the
template, and a query count that does not grow with the rows shown."""

import io
import logging
import re

import openpyxl
import pytest

from core.db import database
from core.models import AuditEntry, StaffMember
from tests.test_imports import STAFF_HEADER
from tests.test_pages import csrf, sign_in

YEAR = 2025


def names(page) -> list[str]:
    html = page.get_data(as_text=True)
    return re.findall(r'<tr class="person">\s*<td><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def staffed(app, world):
    """A1 gets people whose filters are worked out by hand for 2025 (age = 2025 − birth
    year; completed years = 2025 − first year): under 35 means born after 1990, the first
    three years means teaching since 2023 or later."""
    people = [
        # name, position, subjects, birth year, teaching since, active
        ("Алексеева Юлия", "учитель", ["математика"], 1995, 2024, True),  # 30, 1 year
        ("Борисов Глеб", "учитель", ["физика"], 1990, 2023, True),  # 35: not under 35
        ("Васильева Ольга", "воспитатель", [], 1991, 2022, True),  # 34, 3 years: not novice
        ("Григорьев Иван", "учитель", ["математика", "информатика"], 1960, 1985, False),
    ]
    with app.app_context(), database.connection_context():
        for name, position, subjects, born, since, active in people:
            StaffMember.create(
                organization=world.a1,
                full_name=name,
                position=position,
                subjects=subjects,
                birth_year=born,
                teaching_since=since,
                active=active,
            )
    return world


def roster(client, org, **args):
    return client.get(f"/staff/organizations/{org.id}", query_string={"year": YEAR, **args})


def test_filters_by_hand(app, staffed):
    client = app.test_client()
    sign_in(client, "coord.a1")
    world = staffed
    # Active by default; Петрова (world) is born 1998, teaching since 2022: 27, 3 years.
    assert names(roster(client, world.a1)) == [
        "Алексеева Юлия",
        "Борисов Глеб",
        "Васильева Ольга",
        "Петрова Анна Ивановна",
    ]
    assert names(roster(client, world.a1, young="y")) == [
        "Алексеева Юлия",
        "Васильева Ольга",
        "Петрова Анна Ивановна",
    ]
    assert names(roster(client, world.a1, novice="y")) == ["Алексеева Юлия", "Борисов Глеб"]
    assert names(roster(client, world.a1, young="y", novice="y")) == ["Алексеева Юлия"]
    assert names(roster(client, world.a1, active="no")) == ["Григорьев Иван"]
    assert names(roster(client, world.a1, active="all", subject="информатика")) == [
        "Григорьев Иван"
    ]
    assert names(roster(client, world.a1, position="воспитатель")) == ["Васильева Ольга"]
    assert names(roster(client, world.a1, q="Борис")) == ["Борисов Глеб"]
    assert names(roster(client, world.a1, q="t-1")) == ["Петрова Анна Ивановна"]
    # In 2026 Борисов has 3 completed years: no longer in his first three.
    assert names(roster(client, world.a1, novice="y", year=2026)) == ["Алексеева Юлия"]
    bad = roster(client, world.a1, year="тысяча")
    assert bad.status_code == 422 and "Укажите год числом" in bad.get_data(as_text=True)
    assert names(bad) == []


def test_scope_reads_logged_and_profile_links(app, staffed):
    world = staffed
    client = app.test_client()
    sign_in(client, "methodist.a")
    page = roster(client, world.muni_a)  # a municipality: its whole subtree, with the school
    html = page.get_data(as_text=True)
    assert len(names(page)) == 4 and "Школа А1" in html
    with database.connection_context():
        shown = StaffMember.select().where(
            StaffMember.active == True,  # noqa: E712
            StaffMember.organization == world.a1,
        )
        ids = [s.id for s in shown]
        reads = AuditEntry.select().where(AuditEntry.action == "pd_read")
        assert sorted(e.object_id for e in reads) == sorted(ids)
        assert {e.after["via"] for e in reads} == {"list"}
    assert f'href="/staff/{world.staff_a1.id}/profile"' in html
    assert "Сидоров" not in html  # Б is another municipality
    assert roster(client, world.b1).status_code == 404
    sign_in(client, "teacher.a1")
    assert roster(client, world.a1).status_code == 403
    assert "Кадры" not in client.get("/").get_data(as_text=True)


def test_pages_of_the_list_and_a_fixed_query_count(app, world):
    client = app.test_client()
    sign_in(client, "coord.a1")

    def add(count, start):
        with database.connection_context():
            for n in range(start, start + count):
                StaffMember.create(
                    organization=world.a1,
                    full_name=f"Работник {n:03d}",
                    position=f"должность {n % 7}",
                    birth_year=1980,
                )

    def queries():
        counter = Count()
        logger = logging.getLogger("peewee")
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        try:
            page = roster(client, world.a1)
        finally:
            logger.removeHandler(counter)
            logger.setLevel(logging.WARNING)
        assert page.status_code == 200
        return counter.n, page

    add(3, 0)
    few, _ = queries()
    add(30, 3)
    many, page = queries()
    assert few == many
    assert len(names(page)) == 25 and "страница 1 из 2" in page.get_data(as_text=True)
    second = roster(client, world.a1, page=2)
    assert len(names(second)) == 9  # 33 + Петрова = 34


class Count(logging.Handler):
    n = 0

    def emit(self, record):
        self.n += 1


def test_add_edit_dismiss_through_the_domain(app, api, world):
    client = app.test_client()
    sign_in(client, "coord.a1")
    form = client.get(f"/staff/organizations/{world.a1.id}/new")
    body = {
        "csrf_token": csrf(form),
        "organization_id": str(world.a1.id),
        "full_name": "Новикова Дарья",
        "position": "учитель",
        "birth_year": "1999",
        "teaching_since": "2010",  # before fourteen: the API's rule
        "subjects": "химия; биология",
        "category": "first",
    }
    refused = client.post(f"/staff/organizations/{world.a1.id}/new", data=body)
    assert refused.status_code == 422
    assert "не может быть раньше 14 лет" in refused.get_data(as_text=True)
    with database.connection_context():
        assert not StaffMember.select().where(StaffMember.full_name == "Новикова Дарья").exists()
    body["teaching_since"] = "2021"
    done = client.post(f"/staff/organizations/{world.a1.id}/new", data=body)
    assert done.status_code == 302
    listed = api.as_("coord_a1").get(f"/api/v1/organizations/{world.a1.id}/staff").json
    new = next(s for s in listed["items"] if s["full_name"] == "Новикова Дарья")
    assert new["subjects"] == ["химия", "биология"] and new["category"] == "first"

    edit_url = f"/staff/{new['id']}/edit"
    page = client.get(edit_url)
    assert 'value="химия; биология"' in page.get_data(as_text=True)
    changed = {**body, "position": "заместитель директора", "active": "y"}
    changed["csrf_token"] = csrf(page)
    assert client.post(edit_url, data=changed).status_code == 302
    taken = {**changed, "code": "t-1"}  # Петрова's personnel number
    clash = client.post(edit_url, data=taken)
    assert clash.status_code == 422
    assert "Табельный номер уже есть у другого работника" in clash.get_data(as_text=True)
    dismissed = client.post(f"/staff/{new['id']}/dismiss", data={"csrf_token": csrf(page)})
    assert dismissed.status_code == 302
    record = api.as_("coord_a1").get(f"/api/v1/staff/{new['id']}").json
    assert record["position"] == "заместитель директора" and record["active"] is False
    assert record["code"] is None
    log = api.as_("operator").get("/api/v1/audit-log", query_string={"object_id": new["id"]})
    actions = [e["action"] for e in log.json["items"] if e["object_type"] == "staff"]
    assert [a for a in actions if a != "pd_read"] == ["update", "update", "create"]
    assert log.json["items"][-1]["login"] == "coord.a1"


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, org, content, filename):
    page = client.get(f"/staff/organizations/{org.id}/import")
    data = {"csrf_token": csrf(page), "file": (io.BytesIO(content), filename)}
    return client.post(
        f"/staff/organizations/{org.id}/import", data=data, content_type="multipart/form-data"
    )


def problem_rows(page):
    html = page.get_data(as_text=True)
    found = re.findall(r'<tr class="problem"><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>', html)
    return [(int(r), c, m) for r, c, m in found]


def test_bad_upload_shows_every_row_and_imports_nothing(app, world):
    client = app.test_client()
    sign_in(client, "coord.a1")
    content = (
        STAFF_HEADER + "a1;Орлова Вера;учитель;тысяча;;;;;;;\n"
        "a1;Белова Инна;учитель;1985;;;;;;;\n"
        "b1;Чужой Работник;учитель;1980;;;;;;;\n"
    ).encode()
    page = upload(client, world.a1, content, "staff.csv")
    assert page.status_code == 422
    assert problem_rows(page) == [
        (2, "Год рождения", "Ожидался год числом, например 1985."),
        (4, "Код организации", "Организация не найдена."),
    ]
    assert "найдено ошибок — 2" in page.get_data(as_text=True)
    with database.connection_context():
        assert StaffMember.select().count() == 2  # the world's two, nothing more
    wrong_type = upload(client, world.a1, b"%PDF", "scan.pdf")
    assert "Поддерживаются файлы .xlsx и .csv." in wrong_type.get_data(as_text=True)


def test_clean_upload_imports_every_row(app, api, world):
    client = app.test_client()
    sign_in(client, "coord.a1")
    rows = [STAFF_HEADER.strip().split(";")] + [
        ["a1", f"Учитель {n}", "учитель", 1990 + n, 2015, "история", "", "", "", f"x-{n}", ""]
        for n in range(5)
    ]
    page = upload(client, world.a1, xlsx(rows), "staff.xlsx")
    assert page.status_code == 302
    listed = client.get(page.headers["Location"])
    assert "добавлено 5, обновлено 0, без изменений 0" in listed.get_data(as_text=True)
    assert [n for n in names(listed) if n.startswith("Учитель")] == [
        f"Учитель {n}" for n in range(5)
    ]
    with database.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "import_create").count() == 5
    sign_in(client, "coord.b1")
    assert upload(client, world.a1, xlsx(rows), "staff.xlsx").status_code == 404


def test_template_download(app, world):
    client = app.test_client()
    sign_in(client, "coord.a1")
    response = client.get("/staff/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == STAFF_HEADER.strip().split(";")


def test_menu_and_landing(app, world):
    client = app.test_client()
    sign_in(client, "admin")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/staff">Кадры</a>' in home and "Журнал аудита" in home
    landing = client.get("/staff")  # the root grant: the regions, here only one
    assert landing.headers["Location"].endswith(f"/staff/organizations/{world.region.id}")
    region = client.get(landing.headers["Location"], query_string={"year": YEAR})
    assert names(region) == ["Петрова Анна Ивановна", "Сидоров Олег Петрович"]
    sign_in(client, "coord.a1")
    assert client.get("/staff").headers["Location"].endswith(f"/staff/organizations/{world.a1.id}")
