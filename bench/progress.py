"""Campaign progress for a region of N organisations.

Product: GET /api/v1/campaigns/{id}/progress through the Flask test client
(authentication, scope rule, audience, rollup, JSON).  Baseline: the two
plain SELECTs (audience ids and paths, submission states) that any answer
must read, as tuples.  Reported: medians of repeated runs and their ratio.
"""

import statistics
import time

from core.db import database
from core.models import Organization, RoleGrant, User
from core.security import tokens
from forms.models import Submission


def _median(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(app, organizations, repeat=7):
    from bench.dataset import build

    with app.app_context(), database.connection_context():
        campaign = build(organizations)
        user = User.create(login=f"bench{organizations}", password_hash="x", full_name="b")
        region = Organization.get(Organization.kind == "region")
        RoleGrant.create(user=user, role="regional_operator", scope=region)
        token, _ = tokens.issue(user, 1)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/campaigns/{campaign.id}/progress"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["total"] == organizations

    def product():
        client.get(url, headers=headers)

    def baseline():
        """The minimal reads the answer needs: audience ids and paths, submission states."""
        with database.connection_context():
            list(
                Organization.select(Organization.id, Organization.path)
                .where(Organization.kind == "school", Organization.active == True)  # noqa: E712
                .tuples()
            )
            list(
                Submission.select(
                    Submission.subject_key,
                    Submission.state,
                    Submission.first_submitted_at,
                    Submission.late,
                )
                .where(Submission.campaign == campaign.id)
                .tuples()
            )

    product_s = _median(product, repeat)
    baseline_s = _median(baseline, repeat)
    return {
        "organizations": organizations,
        "product_ms": round(product_s * 1000, 1),
        "baseline_ms": round(baseline_s * 1000, 2),
        "ratio": round(product_s / baseline_s, 1),
    }
