"""`metodnet demo` and `metodnet user create` on a fresh database."""

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

    # The demo has an open campaign: a Klin school sees it, the methodist has one to review.
    def signed(login):
        token = client.post(
            "/api/v1/auth/token", json={"login": login, "password": "metodnet-demo"}
        ).json["token"]
        return {"Authorization": f"Bearer {token}"}

    mine = client.get(
        "/api/v1/campaigns", query_string={"mine": "true"}, headers=signed("school.klin1")
    ).json
    assert mine["total"] == 1 and mine["items"][0]["my_submissions"][0]["state"] is None
    campaign_id = mine["items"][0]["id"]
    queue = client.get(
        f"/api/v1/campaigns/{campaign_id}/submissions",
        query_string={"state": "submitted"},
        headers=signed("metodist.klin"),
    ).json
    assert queue["total"] == 1
    progress = client.get(f"/api/v1/campaigns/{campaign_id}/progress", headers=headers).json
    assert progress["total"] == 12 + 18 + 3 * 3 + 4  # schools of Klin, Yartsevo, the small ones
    # A second start does not load it twice.
    again = cli_env.invoke(main, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "was not loaded" in again.output
    assert staff(klin) == 857
    refused = cli_env.invoke(main, ["demo"])
    assert refused.exit_code == 1


def test_demo_is_deterministic(new_database, make_app, tmp_path, monkeypatch):
    names = []
    for _ in range(2):
        url = new_database()
        monkeypatch.setenv("METODNET_DATABASE_URL", url)
        runner = CliRunner()
        runner.invoke(main, ["db", "upgrade"])
        assert runner.invoke(main, ["demo", "--seed", "7"]).exit_code == 0
        app = make_app(database_url=url, migrate=False)
        with app.app_context(), database.connection_context():
            rows = StaffMember.select().order_by(StaffMember.id)
            names.append([(s.full_name, s.birth_year, s.teaching_since) for s in rows])
    assert names[0] == names[1]
    assert len(names[0]) == 648 + 857 + 3 * 5 * 14 + 7 * 14  # Yartsevo, Klin, small ones


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
