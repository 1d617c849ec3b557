"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when
METODNET_TEST_DATABASE_URL is set), a small two-municipality world with one
user per role, and an API client that signs requests as any of them."""

import os
import uuid

import psycopg2
import pytest
from hypothesis import settings
from peewee import SqliteDatabase

from core import jobs, migrator
from core import organizations as tree
from core.app import create_app
from core.db import database
from core.models import RoleGrant, StaffMember, User
from core.plugin_access import migration_components
from core.security import tokens
from core.security.passwords import hash_password
from forms.engine import sync_plugin_forms

PG_URL = os.environ.get("METODNET_TEST_DATABASE_URL")

# Fixtures of the programme blocks' tests.
pytest_plugins = ["tests.diagnostics_fixtures", "tests.access_fixtures"]

# `make test` is deterministic (the same examples every run, so CI cannot turn red by
# chance); HYPOTHESIS_PROFILE=explore searches new examples locally.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Jobs run inside the request in tests (huey's immediate mode, in-memory storage).
jobs.huey.immediate = True
PASSWORD = "secret-pass-1"


def _pg_admin():
    from urllib.parse import urlparse

    parts = urlparse(PG_URL)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    return conn, parts


@pytest.fixture
def new_database(tmp_path):
    """Make empty databases of the backend under test; they are dropped afterwards."""
    made = []

    def make():
        name = f"metodnet_fresh_{uuid.uuid4().hex[:10]}"
        if not PG_URL:
            return f"sqlite:///{tmp_path / name}.sqlite3"
        conn, parts = _pg_admin()
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        made.append(name)
        return parts._replace(path=f"/{name}").geturl()

    yield make
    if not database.is_closed():
        database.close()
    if made:
        conn, _ = _pg_admin()
        with conn.cursor() as cur:
            for name in made:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.fixture
def fresh_database_url(new_database):
    return new_database()


_pg_migrated = False


def _reset_postgres():
    """Migrate once per session, then empty every table before each test."""
    global _pg_migrated
    tables = [t for t in database.get_tables() if t != "schema_migration"]
    if tables:
        quoted = ", ".join(f'"{t}"' for t in tables)
        database.execute_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    _pg_migrated = True


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Build an app (with extra inline plugins) on a migrated, empty database."""
    monkeypatch.setenv("METODNET_INSTANCE_PATH", str(tmp_path / "instance"))
    made = []

    def build(plugins=(), database_url=None, migrate=True, **config):
        url = database_url or PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
        settings = {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test", **config}
        app = create_app(settings, plugins=plugins, load_entry_points=False)
        if migrate:
            with app.app_context(), database.connection_context():
                migrator.upgrade(migration_components(app))
                if PG_URL and database_url is None:
                    _reset_postgres()
            sync_plugin_forms(app)  # as `metodnet db upgrade` does
        made.append(app)
        return app

    yield build
    if not database.is_closed():
        database.close()


@pytest.fixture
def app(make_app):
    return make_app()


class Api:
    """Test client wrapper: ``api.as_("methodist_a").get(...)``."""

    def __init__(self, client, tokens_by_name):
        self.client = client
        self.tokens = tokens_by_name
        self.who = None

    def as_(self, who):
        other = Api(self.client, self.tokens)
        other.who = who
        return other

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.who:
            headers["Authorization"] = f"Bearer {self.tokens[self.who]}"
        return headers

    def request(self, method, url, **kwargs):
        kwargs["headers"] = self._headers(kwargs.get("headers"))
        return self.client.open(url, method=method, **kwargs)

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, **kw):
        return self.request("POST", url, **kw)

    def put(self, url, **kw):
        return self.request("PUT", url, **kw)

    def patch(self, url, **kw):
        return self.request("PATCH", url, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)


class World:
    """Region R: municipality A (schools A1, A2) and, inside hub H,
    municipality B (schools B1, B2).  One user per role."""

    ROLES = {
        "admin": ("admin", None),
        "operator": ("regional_operator", "region"),
        "methodist_a": ("municipal_methodist", "muni_a"),
        "methodist_b": ("municipal_methodist", "muni_b"),
        "coord_a1": ("school_coordinator", "a1"),
        "coord_b1": ("school_coordinator", "b1"),
        "expert_a": ("expert", "muni_a"),
        "teacher_a1": ("teacher", "a1"),
    }

    def __init__(self):
        self.region = tree.create(kind="region", name="Регион Р", code="r")
        self.hub = tree.create(kind="hub", name="Куст Х", code="h", parent=self.region)
        self.muni_a = tree.create(
            kind="municipality", name="Муниципалитет А", code="a", parent=self.region
        )
        self.muni_b = tree.create(
            kind="municipality", name="Муниципалитет Б", code="b", parent=self.hub
        )
        self.a1 = tree.create(kind="school", name="Школа А1", code="a1", parent=self.muni_a)
        self.a2 = tree.create(kind="kindergarten", name="Сад А2", code="a2", parent=self.muni_a)
        self.b1 = tree.create(kind="school", name="Школа Б1", code="b1", parent=self.muni_b)
        self.b2 = tree.create(kind="school", name="Школа Б2", code="b2", parent=self.muni_b)
        self.staff_a1 = StaffMember.create(
            organization=self.a1,
            full_name="Петрова Анна Ивановна",
            position="учитель",
            subjects=["математика"],
            birth_year=1998,
            teaching_since=2022,
            code="t-1",
        )
        self.staff_b1 = StaffMember.create(
            organization=self.b1,
            full_name="Сидоров Олег Петрович",
            position="учитель",
            subjects=["физика"],
            birth_year=1970,
            teaching_since=1993,
            code="t-2",
        )
        password_hash = _password_hash()
        self.users, self.tokens = {}, {}
        for name, (role, place) in self.ROLES.items():
            user = User.create(
                login=name.replace("_", "."), password_hash=password_hash, full_name=name
            )
            RoleGrant.create(
                user=user,
                role=role,
                scope=getattr(self, place) if place else None,
                staff=self.staff_a1 if role == "teacher" else None,
            )
            self.users[name] = user
            self.tokens[name], _ = tokens.issue(user, 1)


_HASH = {}


def _password_hash():
    if "value" not in _HASH:  # scrypt is slow on purpose; hash once per session
        _HASH["value"] = hash_password(PASSWORD)
    return _HASH["value"]


@pytest.fixture
def world(app):
    with app.app_context(), database.connection_context():
        return World()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client, world):
    return Api(client, world.tokens)


def is_sqlite():
    return isinstance(database.obj, SqliteDatabase)
