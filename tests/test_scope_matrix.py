"""Generated from the OpenAPI document: every operation aimed at an object of another
municipality answers 403 or 404, shows none of its data, and changes nothing.

New endpoints are covered automatically when their path parameters name an organisation,
a staff member or a user (the identifiers the scope rule is about)."""

import re

import pytest

from core.db import database
from core.models import AuditEntry, Organization, StaffMember, User

FOREIGN_MARKERS = ("Школа Б1", "Сидоров", "coord.b1", "Муниципалитет Б")
PARAMS = {"org_id", "staff_id", "user_id", "region_id"}


def operations(spec):
    for path, methods in spec["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        if not names or not names <= PARAMS:
            continue
        for method in methods:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path, names


def counts():
    with database.connection_context():
        return (
            Organization.select().count(),
            StaffMember.select().count(),
            User.select().count(),
        )


@pytest.mark.parametrize("who", ["methodist_a", "coord_a1", "teacher_a1", "expert_a"])
def test_objects_of_another_municipality_stay_invisible(api, world, who):
    # Blocks on everywhere: what answers is the scope rule, not the activation guard.
    for name in ("mentoring",):
        api.as_("operator").put(f"/api/v1/organizations/{world.region.id}/plugins/{name}")
    spec = api.client.get("/api/openapi.json").json
    foreign = {
        "org_id": world.b1.id,
        "staff_id": world.staff_b1.id,
        "user_id": world.users["coord_b1"].id,
        "region_id": world.muni_b.id,
    }
    checked = 0
    for method, path, names in operations(spec):
        url = path
        for name in names:
            url = url.replace("{" + name + "}", str(foreign[name]))
        before = counts()
        with database.connection_context():
            entries = AuditEntry.select().count()
        response = api.as_(who).request(method, url, json={})
        checked += 1
        assert response.status_code in (403, 404, 422), (method, url, response.status_code)
        body = response.get_data(as_text=True)
        assert not any(marker in body for marker in FOREIGN_MARKERS), (method, url, body[:200])
        assert counts() == before, (method, url)
        with database.connection_context():
            assert AuditEntry.select().count() == entries, (method, url)
    assert checked >= 17
