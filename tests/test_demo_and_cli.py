"""`metodnet demo` and `metodnet user create` on a fresh database."""

import datetime as dt
import time
from collections import Counter

import pytest
from click.testing import CliRunner

from core.cli import main
from core.db import database
from core.models import StaffMember, User


@pytest.fixture
def cli_env(fresh_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("METODNET_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    return runner


def test_demo_region_matches_the_seed_documents(cli_env, make_app, fresh_database_url):
    result = cli_env.invoke(main, ["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "metodist.klin" in result.output and "metodnet-demo" in result.output
    assert "mentoring_pairs: " in result.output and "diagnostics_staff: " in result.output
    app = make_app(database_url=fresh_database_url, migrate=False)
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"login": "operator", "password": "metodnet-demo"}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def orgs(**query):
        return client.get(
            "/api/v1/organizations", query_string={"per_page": 500, **query}, headers=headers
        ).json

    (yartsevo,) = [o for o in orgs(kind="municipality")["items"] if o["code"] == "yartsevo"]
    (klin,) = [o for o in orgs(kind="municipality")["items"] if o["code"] == "klin"]
    children = orgs(parent=yartsevo["id"])["items"]
    kinds = [o["kind"] for o in children]
    assert kinds.count("school") == 18  # 1 gymnasium + 12 secondary + 5 basic (seed 000)
    assert kinds.count("kindergarten") == 14
    assert kinds.count("additional") == 2
    assert len(orgs(kind="hub")["items"]) == 2

    def staff(org, **query):
        return client.get(
            f"/api/v1/organizations/{org['id']}/staff",
            query_string={"subtree": "true", "per_page": 1, **query},
            headers=headers,
        ).json["total"]

    assert staff(yartsevo) == 315 + 56 + 13 + 216 + 2 + 46
    assert staff(klin) == 857  # seed 003
    assert staff(klin, as_of=2025, under_age=35) == 169
    assert staff(klin, as_of=2025, experience_below=3) == 77
    # Every demo login works for its role.
    for login in ("admin", "metodist.klin", "school.klin1", "expert", "teacher"):
        response = client.post(
            "/api/v1/auth/token", json={"login": login, "password": "metodnet-demo"}
        )
        assert response.status_code == 201, login

    # The blocks' demo rows, seen through the API by each demo login.
    def signed(login):
        token = client.post(
            "/api/v1/auth/token", json={"login": login, "password": "metodnet-demo"}
        ).json["token"]
        return {"Authorization": f"Bearer {token}"}

    methodist, coordinator = signed("metodist.klin"), signed("school.klin1")
    # The coordinator: the open May monitoring to fill, the September register accepted.
    mine = client.get("/api/v1/campaigns", query_string={"mine": "true"}, headers=coordinator)
    states = {c["form_code"]: c["my_submissions"][0]["state"] for c in mine.json["items"]}
    assert states == {"mentoring_monitoring": None, "mentoring_pairs": "accepted"}
    (monitoring,) = [c for c in mine.json["items"] if c["form_code"] == "mentoring_monitoring"]
    assert monitoring["opens_on"] <= dt.date.today().isoformat() <= monitoring["deadline"]
    campaign_id = monitoring["id"]
    queue = client.get(
        f"/api/v1/campaigns/{campaign_id}/submissions",
        headers=methodist,
        query_string={"per_page": 50},
    ).json
    assert sorted(s["state"] for s in queue["items"]) == [
        "accepted", "draft", "returned", "submitted", "submitted"
    ]  # fmt: skip
    progress = client.get(f"/api/v1/campaigns/{campaign_id}/progress", headers=headers).json
    assert progress["total"] == 12  # Klin's schools: the block is on in Klin only
    # The methodist: pairs of the accepted registers (10 of 12 schools), 70 % of beginners.
    pairs = client.get(f"/api/v1/mentoring/organizations/{klin['id']}/pairs", headers=methodist)
    assert pairs.status_code == 200 and 40 <= len(pairs.json) <= 60
    results = client.get(
        f"/api/v1/diagnostics/organizations/{klin['id']}/results", headers=methodist
    ).json
    assert results["total"] > 200  # a quarter of 857 teachers, one or two areas each
    assert {"high", "elevated", "basic", "low"} <= {r["level"] for r in results["items"]} | {
        r["level"]
        for page in (2, 3, 4, 5)
        for r in client.get(
            f"/api/v1/diagnostics/organizations/{klin['id']}/results",
            headers=methodist,
            query_string={"page": page},
        ).json["items"]
    }
    # The teacher: their own pair, result and route with steps, some done elsewhere.
    teacher = signed("teacher")
    me = client.get("/api/v1/auth/me", headers=teacher).json
    staff_id = me["user"]["grants"][0]["staff_id"]
    assert staff_id in {p["mentee_id"] for p in pairs.json}
    own = client.get(f"/api/v1/diagnostics/staff/{staff_id}/results", headers=teacher).json
    assert own["results"] and any(r["deficits"] for r in own["results"])
    (route,) = client.get(f"/api/v1/diagnostics/staff/{staff_id}/routes", headers=teacher).json
    assert route["status"] == "active" and len(route["steps"]) == 3
    routes = client.get(
        f"/api/v1/diagnostics/organizations/{klin['id']}/routes", headers=methodist
    ).json
    assert routes["total"] > 40
    assert Counter(s["status"] for r in routes["items"] for s in r["steps"]).keys() >= {
        "done",
        "planned",
    }
    active = client.get(
        f"/api/v1/diagnostics/organizations/{klin['id']}/active", headers=methodist
    ).json
    assert {m["status"] for m in active["items"]} >= {"confirmed", "proposed"}
    # Yartsevo has neither block: its methodist gets 404 from them.
    assert (
        client.get(
            f"/api/v1/mentoring/organizations/{yartsevo['id']}/pairs",
            headers=signed("metodist.yartsevo"),
        ).status_code
        == 404
    )
    # A second start does not load it twice.
    again = cli_env.invoke(main, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "was not loaded" in again.output
    assert staff(klin) == 857
    refused = cli_env.invoke(main, ["demo"])
    assert refused.exit_code == 1


def test_demo_is_deterministic(new_database, make_app, tmp_path, monkeypatch):
    """The same seed gives the same people and the same blocks' rows, quickly."""
    from plugins.diagnostics.models import Result, Step
    from plugins.mentoring.models import MentorPair

    snapshots = []
    for _ in range(2):
        url = new_database()
        monkeypatch.setenv("METODNET_DATABASE_URL", url)
        runner = CliRunner()
        runner.invoke(main, ["db", "upgrade"])
        started = time.monotonic()
        assert runner.invoke(main, ["demo", "--seed", "7"]).exit_code == 0
        assert time.monotonic() - started < 60  # about 7 s on a loaded two-core machine
        app = make_app(database_url=url, migrate=False)
        with app.app_context(), database.connection_context():
            snapshots.append(
                {
                    "staff": [
                        (s.full_name, s.birth_year, s.teaching_since)
                        for s in StaffMember.select().order_by(StaffMember.id)
                    ],
                    "pairs": [
                        (p.mentor_id, p.mentee_id, p.form, p.subject)
                        for p in MentorPair.select().order_by(MentorPair.id)
                    ],
                    "results": [
                        (r.staff_id, r.area, float(r.score), r.level, r.deficits)
                        for r in Result.select().order_by(Result.id)
                    ],
                    "steps": [
                        (s.route_id, s.kind, s.title, s.status)
                        for s in Step.select().order_by(Step.id)
                    ],
                }
            )
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]["staff"]) == 648 + 857 + 3 * 5 * 14 + 7 * 14
    assert snapshots[0]["pairs"] and snapshots[0]["results"] and snapshots[0]["steps"]


def test_user_create_reads_password_from_stdin(cli_env, make_app, fresh_database_url):
    cli_env.invoke(main, ["demo"])
    result = cli_env.invoke(
        main,
        ["user", "create", "New.Methodist", "--role", "municipal_methodist", "--scope", "klin"],
        input="Long-enough-9\n",
    )
    assert result.exit_code == 0, result.output
    app = make_app(database_url=fresh_database_url, migrate=False)
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/token", json={"login": "new.methodist", "password": "Long-enough-9"}
    )
    assert response.status_code == 201
    weak = cli_env.invoke(
        main, ["user", "create", "weak", "--role", "expert", "--scope", "klin"], input="123\n"
    )
    assert weak.exit_code == 1
    assert "не менее 8 символов" in weak.output
    no_scope = cli_env.invoke(
        main, ["user", "create", "x", "--role", "expert"], input="Long-enough-9\n"
    )
    assert no_scope.exit_code == 2
    with app.app_context(), database.connection_context():
        assert not User.select().where(User.login.in_(["weak", "x"])).exists()
