"""Indicators for a region and each of its municipalities in one API call.

Data: `metodnet demo --scale region` (60 municipalities in 6 hubs, 2,500 organisations)
with the staff count varied for the growth series (10k, 120k, 1.2M).  Product:
GET /api/v1/indicators?breakdown=municipalities through the Flask test client
(authentication, scope, every core and mentoring indicator for 61 rows, targets,
JSON), timed as the median of repeated calls, with its SQL queries counted.
Baseline: the three aggregate SELECTs any such answer must read (staff by
organisation, mentoring pairs by organisation, submissions by organisation),
as raw SQL returning tuples.
"""

import logging
import statistics
import time

from core import demo_scale
from core.db import database
from core.models import Organization

BASELINE_SQL = [
    """SELECT o.path, COUNT(*),
              SUM(CASE WHEN s.birth_year > 1990 THEN 1 ELSE 0 END),
              SUM(CASE WHEN s.teaching_since > 2022 THEN 1 ELSE 0 END)
       FROM staff_member s JOIN organization o ON o.id = s.organization_id
       WHERE s.active GROUP BY o.path""",
    """SELECT o.path, COUNT(*), COUNT(DISTINCT p.mentor_id)
       FROM mentoring_pair p JOIN organization o ON o.id = p.organization_id
       GROUP BY o.path""",
    """SELECT o.path, COUNT(*)
       FROM submission s JOIN organization o ON o.id = s.organization_id
       WHERE s.deleted_at IS NULL AND s.first_submitted_at IS NOT NULL GROUP BY o.path""",
]


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _median(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(app, staff, repeat=5, seed=2025):
    scale = demo_scale.Scale(regions=1, hubs=6, municipalities=60, organizations=2_500, staff=staff)
    start = time.perf_counter()
    with app.app_context(), database.connection_context():
        demo_scale.load(scale, seed=seed)
        region = Organization.get(Organization.kind == "region")
    generated_s = time.perf_counter() - start
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"login": "operator", "password": demo_scale.PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    query = {"scope": region.id, "period": "2025", "breakdown": "municipalities"}

    def product():
        response = client.get("/api/v1/indicators", query_string=query, headers=headers)
        assert response.status_code == 200, response.json
        return response.json

    logger, counter = logging.getLogger("peewee"), _Counter()
    logger.addHandler(counter)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        report = product()
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    assert len(report["rows"]) == 61 and len(report["indicators"]) >= 8

    def baseline():
        with database.connection_context():
            for sql in BASELINE_SQL:
                database.execute_sql(sql).fetchall()

    with app.app_context():
        product_s = _median(product, repeat)
        baseline_s = _median(baseline, repeat)
    return {
        "staff": staff,
        "municipalities": len(report["rows"]) - 1,
        "indicators": len(report["indicators"]),
        "queries": counter.count,
        "product_ms": round(product_s * 1000, 1),
        "baseline_ms": round(baseline_s * 1000, 1),
        "ratio": round(product_s / baseline_s, 2),
        "generated_s": round(generated_s, 1),
    }
