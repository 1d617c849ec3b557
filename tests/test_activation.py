"""One activation map and one guard: where a block is on, read once per request, and every
URL rule of a block answering 404 where it is off."""

import io
import logging
import re

import openpyxl
import pytest

from core import activation
from core import organizations as tree
from core.api.blueprint import Blueprint
from core.db import database
from core.hookspecs import hookimpl
from core.models import Organization, StaffMember
from core.plugins import PluginError
from exports.workbook import HEADER_ROW
from plugins.mentoring.models import MentorPair
from tests import sample_plugin
from tests.conftest import Api, World
from tests.diagnostics_fixtures import BASE, YEAR, person, result
from tests.forms_fixtures import campaign_body


@pytest.fixture
def papi(make_app):
    app = make_app(plugins=[sample_plugin])
    with app.app_context(), database.connection_context():
        world = World()
        # A methodical centre straight under the hub: on when the hub is, whatever B says.
        world.centre = tree.create(
            kind="methodical_centre", name="Центр Х", code="hc", parent=world.hub
        )
    return Api(app.test_client(), world.tokens), world, app


def switch(api, who, org, on, block="sample"):
    method = api.as_(who).put if on else api.as_(who).delete
    response = method(f"/api/v1/organizations/{org.id}/plugins/{block}")
    assert response.status_code == 200, response.json


class SqlLog(logging.Handler):
    """The SQL peewee sends while it is installed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements = []

    def emit(self, record):
        sql = record.msg[0] if isinstance(record.msg, tuple) else str(record.msg)
        self.statements.append(sql)

    def __enter__(self):
        logger = logging.getLogger("peewee")
        self.level = logger.level
        logger.addHandler(self)
        logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc):
        logger = logging.getLogger("peewee")
        logger.removeHandler(self)
        logger.setLevel(self.level)

    def reading(self, table):
        return [s for s in self.statements if f'"{table}"' in s and s.startswith("SELECT")]


def export_rows(api, who, scope, code="sample_export"):
    response = api.as_(who).get(f"/api/v1/exports/{code}", query_string={"scope": scope.id})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    return sorted(r[0] for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True))


def test_region_on_municipality_off_hub_in_between(papi):
    api, world, app = papi
    for org in (world.a1, world.b1, world.centre):
        with database.connection_context():
            sample_plugin.SampleNote.create(organization=org, text=f"заметка {org.code}")
    switch(api, "operator", world.region, True)
    switch(api, "methodist_b", world.muni_b, False)  # explicit off beats the region's on

    with app.app_context(), database.connection_context():
        region, hub, muni_a, muni_b, a1, b1, centre = (
            Organization.get_by_id(o.id)
            for o in (world.region, world.hub, world.muni_a, world.muni_b, world.a1,
                      world.b1, world.centre)
        )  # fmt: skip
        assert [activation.is_enabled(o, "sample") for o in (region, hub, a1, centre, b1)] == [
            True, True, True, True, False,
        ]  # fmt: skip
        assert activation.is_enabled(a1, "mentoring") is False  # default off
        assert activation.where_on(region, "sample") == sorted([muni_a.path, centre.path])
        assert activation.where_on(hub, "sample") == [centre.path]
        assert activation.where_on(muni_b, "sample") == []
        assert activation.where_on(a1, "sample") == [a1.path]
        assert activation.on_below(muni_b, "sample") is False
        settings = activation.settings_along(b1)
        assert settings["sample"].organization_id == muni_b.id and not settings["sample"].enabled

    # The way a user sees it: the region's export holds A and the hub's centre, never B.
    assert export_rows(api, "operator", world.region) == sorted(["Центр Х", "Школа А1"])
    assert export_rows(api, "operator", world.hub) == ["Центр Х"]
    listing = api.as_("methodist_b").get(
        "/api/v1/plugins", query_string={"organization": world.b1.id}
    )
    sample = next(p for p in listing.json["items"] if p["name"] == "sample")
    assert sample == {**sample, "enabled": False, "setting_at": world.muni_b.id}

    # Reachable from a caller's scopes: B's people no longer see the block at all.
    with app.app_context(), database.connection_context():
        from core.api.auth import principal_for

        def reach(who):
            return activation.reachable(principal_for(world.users[who]), "sample")

        assert [reach(w) for w in ("operator", "methodist_a", "methodist_b", "coord_b1",
                                   "teacher_a1", "admin")] == [
            True, True, False, False, True, True,
        ]  # fmt: skip
    forms = api.as_("methodist_b").get("/api/v1/forms").json["items"]
    assert "sample_form" not in [f["code"] for f in forms]
    assert "sample_form" in [
        f["code"] for f in api.as_("methodist_a").get("/api/v1/forms").json["items"]
    ]

    # The hub opts out, B opts back in: region on, hub off, B on.
    switch(api, "operator", world.hub, False)
    switch(api, "methodist_b", world.muni_b, True)
    with app.app_context(), database.connection_context():
        region = Organization.get_by_id(world.region.id)
        assert activation.where_on(region, "sample") == sorted(
            [world.muni_a.path, world.muni_b.path]
        )
    assert export_rows(api, "operator", world.region) == sorted(["Школа А1", "Школа Б1"])
    assert export_rows(api, "methodist_b", world.muni_b) == ["Школа Б1"]


def test_one_read_of_the_activation_table_per_request(papi):
    api, world, _ = papi
    switch(api, "operator", world.muni_a, True)
    switch(api, "operator", world.muni_a, True, block="mentoring")
    switch(api, "operator", world.muni_a, True, block="diagnostics")
    with database.connection_context():
        note = sample_plugin.SampleNote.create(organization=world.a1, text="x")
    for scope in (world.region, world.muni_a, world.muni_b):  # a block's campaign each
        body = campaign_body(scope.id, form_code="sample_form", title=f"Кампания {scope.code}")
        assert api.as_("operator").post("/api/v1/campaigns", json=body).status_code == 201
    for who, url in [
        ("operator", "/api/v1/forms"),  # every block's forms: reachable for each
        ("operator", "/api/v1/campaigns"),
        ("operator", f"/api/v1/sample/notes/{note.id}"),  # the guard, then the view
        ("methodist_a", f"{BASE}/staff/{world.staff_a1.id}/results"),
        ("operator", f"/api/v1/indicators?scope={world.region.id}&period=2025"),
    ]:
        with SqlLog() as log:
            response = api.as_(who).get(url)
        assert response.status_code == 200, (url, response.json)
        assert len(log.reading("plugin_activation")) == 1, url


def test_an_export_reads_activation_in_queries_that_do_not_grow(papi):
    """More municipalities, each with its own setting: the same number of queries."""
    api, world, _ = papi

    def add_municipalities(count, start):
        for n in range(start, start + count):
            with database.connection_context():
                muni = tree.create(
                    kind="municipality", name=f"Район {n}", code=f"m{n}", parent=world.region
                )
                school = tree.create(kind="school", name=f"Школа {n}", code=f"s{n}", parent=muni)
                sample_plugin.SampleNote.create(organization=school, text=f"заметка {n}")
            switch(api, "operator", muni, n % 3 != 0)  # every third one off

    def queries():
        with SqlLog() as log:
            response = api.as_("operator").get(
                "/api/v1/exports/sample_export", query_string={"scope": world.region.id}
            )
        assert response.status_code == 200
        return len(log.statements)

    add_municipalities(3, 1)
    few = queries()
    add_municipalities(6, 4)
    assert queries() == few
    names = export_rows(api, "operator", world.region)
    assert names == sorted(f"Школа {n}" for n in range(1, 10) if n % 3 != 0)


# --- the guard ------------------------------------------------------------------------


def _block_objects(api, world, app):
    """Real ids of every kind a mentoring or diagnostics URL names, all in municipality A."""
    switch(api, "operator", world.muni_a, True, block="diagnostics")
    switch(api, "operator", world.muni_a, True, block="mentoring")
    staff = world.staff_a1.id
    low = result(api, "methodist_a", staff, score=30, deficits=[])
    assert low.status_code == 201, low.json
    catalogue = api.as_("operator").get(f"{BASE}/regions/{world.region.id}/deficits").json
    high = person(world.a1, "Орлова Вера Павловна")
    assert result(api, "methodist_a", high.id, score=95).status_code == 201
    route = api.as_("methodist_a").post(
        f"{BASE}/staff/{staff}/routes", json={"deficits": [catalogue[0]["id"]]}
    )
    assert route.status_code == 201, route.json
    step = api.as_("methodist_a").post(
        f"{BASE}/routes/{route.json['id']}/steps",
        json={"kind": "self_education", "title": "Чтение"},
    )
    assert step.status_code == 201, step.json
    course = api.as_("operator").post(
        f"{BASE}/regions/{world.region.id}/courses",
        json={"title": "Курс", "provider": "ИРО", "hours": 36},
    )
    assert course.status_code == 201, course.json
    active = api.as_("methodist_a").get(f"{BASE}/organizations/{world.muni_a.id}/active").json
    with app.app_context(), database.connection_context():
        mentor = StaffMember.get_by_id(high.id)
        pair = MentorPair.create(
            organization=world.a1, mentor=mentor, mentee=world.staff_a1, form="teacher_teacher",
            subject="", start=f"{YEAR}-09-01", goal="", status="active",
        )  # fmt: skip
    return {
        "org_id": world.muni_a.id,
        "region_id": world.region.id,
        "staff_id": staff,
        "result_id": low.json["id"],
        "route_id": route.json["id"],
        "step_id": step.json["id"],
        "member_id": active["items"][0]["id"],
        "deficit_id": catalogue[0]["id"],
        "course_id": course.json["id"],
        "pair_id": pair.id,
    }


def _block_rules(app):
    for rule in app.url_map.iter_rules():
        if (
            re.match(r"(mentoring|diagnostics)\w*\.", rule.endpoint)
            and ".static" not in rule.endpoint
        ):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_rule_of_the_built_in_blocks_answers_404_where_they_are_off(papi):
    api, world, app = papi
    ids = _block_objects(api, world, app)
    cases = []
    for rule, method in _block_rules(app):
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: give this test an id for {unknown}"
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        cases.append((method, url))
    assert len(cases) >= 30  # both blocks' API, whatever else they add

    from tests.test_pages import csrf, sign_in

    sign_in(api.client, "operator")  # the blocks' pages: the operator's browser session
    token = csrf(api.client.get("/"))

    def ask(method, url):
        if not url.startswith("/api/") and method == "POST":  # a page's form, CSRF first
            return api.client.post(url, data={"csrf_token": token})
        # No body: a POST that passes the guard stops at validation, nothing is written.
        return api.as_("operator").request(method, url, json={} if method != "GET" else None)

    switch(api, "operator", world.muni_a, False, block="diagnostics")
    switch(api, "operator", world.muni_a, False, block="mentoring")
    for method, url in cases:
        response = ask(method, url)
        assert response.status_code == 404, (method, url, response.status_code)
        if url.startswith("/api/"):
            assert response.json["error"]["code"] == "not_found", (method, url)

    switch(api, "operator", world.muni_a, True, block="diagnostics")
    switch(api, "operator", world.muni_a, True, block="mentoring")
    for method, url in cases:
        response = ask(method, url)
        assert response.status_code != 404, (method, url, response.get_data(as_text=True)[:200])


def test_the_sample_block_resolves_its_own_parameter(papi):
    api, world, _ = papi
    with database.connection_context():
        note = sample_plugin.SampleNote.create(organization=world.b1, text="в Б")
    url = f"/api/v1/sample/notes/{note.id}"
    assert api.as_("methodist_b").get(url).status_code == 404  # off everywhere
    switch(api, "methodist_b", world.muni_b, True)
    assert api.as_("methodist_b").get(url).json["text"] == "в Б"
    assert api.as_("methodist_a").get(url).status_code == 404  # on, but out of A's scope
    assert api.as_("methodist_b").get("/api/v1/sample/notes/999999").status_code == 404


def _block(name, decorate=None):
    """An inline block with one URL rule that names no organisation."""
    blp = Blueprint(name, __name__, url_prefix=f"/api/v1/{name}")

    def things():
        return {"ok": True}

    view = decorate(things) if decorate else things
    blp.route("/things")(view)

    class Block:
        @hookimpl
        def plugin_info(self):
            return {"name": name, "title": "Блок", "version": "1"}

        @hookimpl
        def register_blueprints(self):
            return [blp]

    return Block()


def test_a_rule_the_guard_cannot_place_is_refused_at_start_up(make_app):
    with pytest.raises(PluginError) as refused:
        make_app(plugins=[_block("unplaced")], migrate=False)
    message = str(refused.value)
    assert "'/api/v1/unplaced/things'" in message and "'unplaced'" in message


def test_an_unguarded_or_own_scopes_rule_is_accepted(make_app):
    app = make_app(
        plugins=[
            _block("catalogue", activation.unguarded("the view checks by itself")),
            _block("mine", activation.for_own_scopes),
        ]
    )
    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    assert api.as_("teacher_a1").get("/api/v1/catalogue/things").json == {"ok": True}
    assert api.as_("teacher_a1").get("/api/v1/mine/things").status_code == 404  # off
    assert api.as_("operator").put(f"/api/v1/organizations/{world.muni_a.id}/plugins/mine")
    assert api.as_("teacher_a1").get("/api/v1/mine/things").json == {"ok": True}
    assert api.as_("coord_b1").get("/api/v1/mine/things").status_code == 404  # not from B
    with pytest.raises(ValueError):
        activation.unguarded("  ")
