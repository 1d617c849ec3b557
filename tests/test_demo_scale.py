"""`metodnet demo --scale`: deterministic synthetic data with the declared proportions.

The scales are shrunk to a few hundred staff so that the test is fast; the generator
is the same one that builds 1.2 million staff records.
"""

import pytest
from click.testing import CliRunner

from core import demo_scale
from core.cli import main
from core.db import database
from core.models import Organization, StaffMember
from forms.models import Submission
from plugins.mentoring.models import MentorPair

SMALL = demo_scale.Scale(regions=2, hubs=2, municipalities=6, organizations=120, staff=3000)


def _fingerprint():
    with database.connection_context():
        return (
            list(
                Organization.select(Organization.id, Organization.path, Organization.kind)
                .order_by(Organization.id)
                .tuples()
            ),
            list(
                StaffMember.select(
                    StaffMember.id,
                    StaffMember.organization,
                    StaffMember.full_name,
                    StaffMember.birth_year,
                    StaffMember.teaching_since,
                )
                .order_by(StaffMember.id)
                .tuples()
            ),
            [
                (s.organization_id, s.state, s.data, s.deleted_at)
                for s in Submission.select().order_by(Submission.id)
            ],
            list(
                MentorPair.select(MentorPair.mentor, MentorPair.mentee, MentorPair.status)
                .order_by(MentorPair.id)
                .tuples()
            ),
        )


def _load(make_app, url, seed):
    app = make_app(database_url=url)
    with app.app_context(), database.connection_context():
        counts = demo_scale.load(SMALL, seed=seed)
    return counts, _fingerprint()


def test_the_same_seed_gives_the_same_rows(make_app, new_database):
    counts, first = _load(make_app, new_database(), seed=7)
    assert counts["staff"] == 3000
    assert counts["organizations"] == 2 * (2 + 2 + 2 * 6) + 120
    _, again = _load(make_app, new_database(), seed=7)
    _, other = _load(make_app, new_database(), seed=8)
    assert first == again
    assert first[1] != other[1] and first[3] != other[3]


@pytest.fixture
def scale_cli(fresh_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setitem(demo_scale.SCALES, "region", SMALL)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner


def test_scale_demo_through_the_cli_and_the_api(scale_cli, make_app, fresh_database_url):
    result = scale_cli.invoke(main, ["demo", "--scale", "region", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "staff: 3,000" in result.output
    again = scale_cli.invoke(main, ["demo", "--scale", "region"])
    assert again.exit_code != 0 and "пустую базу" in again.output

    client = make_app(database_url=fresh_database_url, migrate=False).test_client()
    token = client.post(
        "/api/v1/auth/token", json={"login": "operator", "password": demo_scale.PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with database.connection_context():
        region = Organization.get(Organization.kind == "region")
        in_region = (
            StaffMember.select().join(Organization).where(Organization.region_id == region.id)
        ).count()
    report = client.get(
        "/api/v1/indicators", query_string={"scope": region.id, "period": "2025"}, headers=headers
    ).json
    values = {v["code"]: v for v in report["rows"][0]["values"]}
    staff = values["staff_count"]["value"]
    assert staff == in_region and 1000 < staff < 2000  # about half are in the first region
    assert 17 <= values["young_share"]["value"] <= 23  # 20 % under 35
    assert 0.07 <= values["first_years"]["value"] / staff <= 0.11  # 9 % in the first 3 years
    assert 65 <= values["mentoring_coverage"]["value"] <= 85  # three quarters have a mentor
    # Mentees per mentor, counted by hand from the region's active pairs.
    with database.connection_context():
        active = list(
            MentorPair.select(MentorPair.mentor)
            .join(Organization, on=(MentorPair.organization == Organization.id))
            .where(Organization.region_id == region.id, MentorPair.status == "действует")
            .tuples()
        )
    per_mentor = values["mentees_per_mentor"]
    assert (per_mentor["numerator"], per_mentor["denominator"]) == (
        len(active),
        len(set(active)),
    )
    assert len(active) > len(set(active))  # some mentors take two mentees
    # Diagnostics: 60 % diagnosed; routes for three quarters of those with deficits (about
    # 0.6 × 0.63 × 0.75 ≈ 28 % of the staff), half of them completed; federal-register
    # courses done by about a tenth of the staff.
    assert 55 <= values["diagnostics_diagnosed_share"]["value"] <= 65
    assert 20 <= values["diagnostics_route_share"]["value"] <= 36
    assert 40 <= values["diagnostics_routes_completed"]["value"] <= 60
    assert 4 <= values["diagnostics_course_share"]["value"] <= 16

    campaigns = client.get("/api/v1/campaigns", headers=headers).json["items"]
    monitoring = next(c for c in campaigns if c["form_code"] == "scale_monitoring")
    progress = client.get(f"/api/v1/campaigns/{monitoring['id']}/progress", headers=headers).json
    assert progress["total"] == 60
    assert all(progress["by_state"][state] > 0 for state in progress["by_state"])
    with database.connection_context():
        assert Submission.select().where(Submission.deleted_at.is_null(False)).exists()
