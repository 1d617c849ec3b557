"""The diagnostics block switched on in both municipalities of the test world."""

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from core.db import database
from core.models import StaffMember

YEAR = dt.date.today().year
BASE = "/api/v1/diagnostics"


@pytest.fixture
def diag(api, world):
    for who, muni in (("methodist_a", world.muni_a), ("methodist_b", world.muni_b)):
        response = api.as_(who).put(f"/api/v1/organizations/{muni.id}/plugins/diagnostics")
        assert response.status_code == 200, response.json
    catalogue = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/deficits")
    assert catalogue.status_code == 200
    return SimpleNamespace(deficits={d["title"]: d for d in catalogue.json})


def deficit(diag, title):
    return diag.deficits[title]["id"]


def person(org, name, **extra):
    with database.connection_context():
        return StaffMember.create(
            organization=org,
            full_name=name,
            position="учитель",
            birth_year=extra.pop("birth_year", 1985),
            teaching_since=extra.pop("teaching_since", 2010),
            **extra,
        )


def result(api, who, staff_id, **values):
    body = {
        "procedure": "regional",
        "date": f"{YEAR}-03-15",
        "area": "methodical",
        "score": 50,
        **values,
    }
    return api.as_(who).post(f"{BASE}/staff/{staff_id}/results", json=body)


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_rows(data, name):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [r for r in book[name].iter_rows(min_row=7, values_only=True)], book[name]
