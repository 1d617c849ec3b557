"""/api/v1/indicators?breakdown=municipalities: every indicator for the region and each
municipality in one call, in a number of SQL queries that does not grow with the number
of municipalities, and with the same figures as computing each municipality alone."""

import datetime as dt
import logging
import math

import pytest

from core import demo_scale
from core.db import database
from core.models import Organization
from core.plugin_access import registry
from exports import indicators
from exports.context import ExportContext
from exports.registry import enabled_paths


class QueryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _world(make_app, url, municipalities):
    app = make_app(database_url=url)
    scale = demo_scale.Scale(
        regions=1, hubs=2, municipalities=municipalities, organizations=12 * municipalities,
        staff=150 * municipalities,
    )  # fmt: skip
    with app.app_context(), database.connection_context():
        demo_scale.load(scale, seed=11)
        # One municipality opts out of mentoring: its row must say "no data" for the block.
        from core.activation import set_enabled

        last = Organization.select().where(Organization.kind == "municipality")
        set_enabled(last.order_by(Organization.id.desc()).get(), "mentoring", False)
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"login": "operator", "password": demo_scale.PASSWORD}
    ).json["token"]
    return app, client, {"Authorization": f"Bearer {token}"}


def _report(client, headers):
    with database.connection_context():
        region = Organization.get(Organization.kind == "region")
    logger = logging.getLogger("peewee")
    counter, level = QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        response = client.get(
            "/api/v1/indicators",
            query_string={"scope": region.id, "period": "2025", "breakdown": "municipalities"},
            headers=headers,
        )
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    assert response.status_code == 200, response.json
    return response.json, counter.count


def test_query_count_does_not_grow_with_municipalities(make_app, new_database):
    _, client, headers = _world(make_app, new_database(), 2)
    small, small_queries = _report(client, headers)
    app, client, headers = _world(make_app, new_database(), 6)
    large, large_queries = _report(client, headers)
    assert [row["kind"] for row in small["rows"]] == ["region"] + ["municipality"] * 2
    assert [row["kind"] for row in large["rows"]] == ["region"] + ["municipality"] * 6
    assert len(large["indicators"]) == 13  # the core's 6, mentoring's 3, diagnostics' 4
    assert small_queries == large_queries

    # The grouped figures equal those computed municipality by municipality.
    with app.app_context(), database.connection_context():
        declared = indicators.declarations(registry(), Organization.get(kind="region"))
        switched_off = 0
        for row in large["rows"][1:]:
            org = Organization.get_by_id(row["organization_id"])
            for (declaration, owner), got in zip(declared, row["values"], strict=True):
                paths = enabled_paths(org, owner) if owner else None
                if owner and not paths:
                    assert got == {"code": declaration["code"], "status": "no_data"}
                    switched_off += 1
                    continue
                ctx = ExportContext(
                    scope=org,
                    period_start=dt.date(2025, 1, 1),
                    period_end=dt.date(2025, 12, 31),
                    enabled_paths=paths,
                )
                expected = indicators.evaluate(declaration, ctx)
                for key in ("numerator", "denominator", "target", "status"):
                    assert got[key] == expected[key], (row["name"], declaration["code"], key)
                assert got["value"] == pytest.approx(expected["value"]) or (
                    got["value"] is None and expected["value"] is None
                )
        assert switched_off == 3  # the opted-out municipality, one per mentoring indicator
    staff = {v["code"]: v for v in large["rows"][0]["values"]}["staff_count"]["value"]
    assert math.isclose(staff, 900)
