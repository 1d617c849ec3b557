"""The audit log page: filters by object, person, action and period, pages, 403 for a
methodist, one staff record's personal-data reads, masked values, a fixed query count."""

import datetime as dt
import logging
import re

from core.db import database
from core.models import AuditEntry
from tests.test_pages import sign_in


def rows(page) -> list[list[str]]:
    html = page.get_data(as_text=True)
    found = []
    for row in re.findall(r'<tr class="entry">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return found


def signed(app, login):
    client = app.test_client()
    sign_in(client, login)
    return client


def test_a_methodist_is_refused_and_has_no_link(app, world):
    client = signed(app, "methodist.a")
    page = client.get("/audit-log")
    assert page.status_code == 403 and "Недостаточно прав" in page.get_data(as_text=True)
    assert "Журнал аудита" not in client.get("/").get_data(as_text=True)


def test_filters_by_object_person_action_and_period(app, api, world):
    api.as_("coord_a1").patch(f"/api/v1/staff/{world.staff_a1.id}", json={"position": "завуч"})
    api.as_("methodist_b").patch(f"/api/v1/staff/{world.staff_b1.id}", json={"position": "завуч"})
    client = signed(app, "operator")
    updates = rows(client.get("/audit-log", query_string={"action": "update"}))
    assert [r[2] for r in updates] == ["Изменение", "Изменение"]
    assert [r[1] for r in updates] == ["methodist_b (methodist.b)", "coord_a1 (coord.a1)"]
    # Personal data stays masked; the position is not personal.
    mine = rows(
        client.get(
            "/audit-log",
            query_string={
                "object_type": "staff",
                "object_id": world.staff_a1.id,
                "login": "coord.a1",
            },
        )
    )
    assert len(mine) == 1 and mine[0][3].startswith("Работник № ")
    assert "position: учитель" in mine[0][4] and "position: завуч" in mine[0][5]
    unknown = client.get("/audit-log", query_string={"login": "nobody"})
    assert unknown.status_code == 422
    assert "Пользователь с таким логином не найден." in unknown.get_data(as_text=True)
    today = dt.date.today()
    later = {"since": (today + dt.timedelta(days=2)).isoformat()}
    assert rows(client.get("/audit-log", query_string=later)) == []
    around = {"since": (today - dt.timedelta(days=1)).isoformat(), "until": today.isoformat()}
    assert len(rows(client.get("/audit-log", query_string={**around, "action": "update"}))) == 2
    page = client.get("/audit-log").get_data(as_text=True)
    assert '<option value="update">Изменение</option>' in page


def test_personal_data_reads_of_one_record(app, api, world):
    api.as_("coord_a1").get(f"/api/v1/staff/{world.staff_a1.id}")
    api.as_("methodist_a").get(f"/api/v1/organizations/{world.muni_a.id}/staff?subtree=true")
    api.as_("methodist_b").get(f"/api/v1/staff/{world.staff_b1.id}")
    api.as_("coord_a1").patch(
        f"/api/v1/staff/{world.staff_a1.id}", json={"full_name": "Петрова-Иванова Анна"}
    )
    client = signed(app, "admin")
    found = rows(client.get("/audit-log", query_string={"staff": world.staff_a1.id}))
    assert [(r[1], r[2]) for r in found] == [
        ("coord_a1 (coord.a1)", "Изменение"),
        ("methodist_a (methodist.a)", "Просмотр персональных данных"),
        ("coord_a1 (coord.a1)", "Просмотр персональных данных"),
    ]
    assert "full_name: [персональные данные]" in found[0][4]
    assert "Петрова" not in " ".join(found[0])
    assert "via: list" in found[1][5] and "via: record" in found[2][5]


def test_pages_and_a_fixed_query_count(app, world):
    client = signed(app, "operator")

    def add(count):
        with database.connection_context():
            for n in range(count):
                AuditEntry.create(
                    user=world.users["coord_a1" if n % 2 else "methodist_a"],
                    login="x",
                    action="update",
                    object_type="staff",
                    object_id=n,
                    scope_path=world.a1.path,
                )

    def queries():
        counter = Count()
        logger = logging.getLogger("peewee")
        logger.addHandler(counter)
        logger.setLevel(logging.DEBUG)
        try:
            page = client.get("/audit-log", query_string={"action": "update"})
        finally:
            logger.removeHandler(counter)
            logger.setLevel(logging.WARNING)
        assert page.status_code == 200
        return counter.n, page

    add(3)
    few, _ = queries()
    add(60)
    many, page = queries()
    assert few == many
    assert len(rows(page)) == 50 and "страница 1 из 2" in page.get_data(as_text=True)
    second = client.get("/audit-log", query_string={"action": "update", "page": 2})
    assert len(rows(second)) == 13


class Count(logging.Handler):
    n = 0

    def emit(self, record):
        self.n += 1
