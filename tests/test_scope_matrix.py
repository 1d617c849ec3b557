"""Generated from the OpenAPI document: every operation aimed at an object of another
municipality answers 403 or 404, shows none of its data, and changes nothing.

Every block is switched on region-wide, so what answers is the scope rule, not the activation
guard; and every request carries a VALID body built from the operation's schema (required
fields of the right type, format and enum; every field naming an object points at a real
object of the other side), so a 422 can never pass for a refusal.  An operation is aimed at
the other side when a path parameter, a required (or write) query parameter or a body field
names one of its objects; every other GET is checked for leaks only.  New endpoints are
covered automatically when their parameters are named like the ones below.
"""

import re

import pytest

from core.db import database
from core.models import RoleGrant
from tests.forms_fixtures import campaign_body
from tests.openapi_bodies import YEAR, build, check_valid, keys, nowhere, xlsx_file

ROLES = ["methodist_a", "coord_a1", "teacher_a1", "expert_a"]
FOREIGN_MARKERS = ("Школа Б1", "Сидоров", "coord.b1", "Муниципалитет Б", "Регион Два")

# Parameters and body fields that name an object → which object of the other side.
OBJECTS = {
    "org_id": "b1",
    "organization_id": "b1",
    "subject_id": "b1",
    "mentor_school_id": "b1",
    "supported_school_id": "b2",
    "subject_ids": "b1",
    "parent_id": "muni_b",
    "scope_id": "muni_b",
    "scope": "muni_b",
    "staff_id": "staff_b1",
    "supporter_id": "staff_b1",
    "user_id": "coord_b1",
    "expert_id": "coord_b1",
    "tutor_user_id": "coord_b1",
    "region_id": "r2",
    "deficit_id": "deficit",
    "deficits": "deficit",
    "course_id": "course",
    "status_id": "status",
    "grant_id": "grant",
    "campaign_id": "campaign",
    "audit_id": "audit",
    "webhook_id": "webhook",
    "result_id": "result",
    "route_id": "route",
    "step_id": "step",
    "member_id": "member",
    "job_id": "job",
}
# Path parameters that name no object: a fixed, existing value.
FIXED = {"name": "mentoring", "kind": "organizations", "code": "staff"}
# Operations aimed at the other side that this matrix cannot check, and why.  Keep it small.
SKIPPED = {}
# Operations that name no object at all and change something: not the scope rule's business.
NOT_AIMED = {
    ("POST", "/api/v1/auth/token"): "signing in (tests/test_auth.py)",
    ("DELETE", "/api/v1/auth/token"): "signing out one's own token (tests/test_auth.py)",
}


def request_for(method, path, op, spec, foreign):
    """(url, keyword arguments, what aims it at the other side: "url", "body" or None)."""
    objects = {name: foreign[key] for name, key in OBJECTS.items()}
    names = re.findall(r"{(\w+)}", path)
    url = path
    for name in names:
        url = url.replace("{" + name + "}", str(objects.get(name, FIXED.get(name))))
    aimed = any(name in OBJECTS for name in names)
    query, form, kwargs = {}, {}, {}
    for param in op.get("parameters", []):
        if param["in"] != "path" and param["name"] in OBJECTS:
            # A required one, or any on a write, aims the operation at the other side; an
            # optional filter of a listing is only leak-checked.
            aimed |= bool(param.get("required")) or method != "GET"
            query[param["name"]] = objects[param["name"]]
    content = op.get("requestBody", {}).get("content", {})
    by_body = False
    if "application/json" in content:
        schema = content["application/json"]["schema"]
        kwargs["json"] = build(schema, spec, objects)
        check_valid(kwargs["json"], schema, spec)
        by_body = any(key in OBJECTS for key in keys(kwargs["json"]))
    elif "multipart/form-data" in content:
        # Form fields beside the upload are properties of the multipart body (OpenAPI 3).
        fields = content["multipart/form-data"]["schema"].get("properties", {})
        form.update({name: objects[name] for name in fields if name in OBJECTS})
        aimed |= bool(form)
        kwargs["data"] = {**form, "file": xlsx_file()}
    kwargs["query_string"] = query
    return url, kwargs, "url" if aimed else "body" if by_body else None


def row_counts():
    """Rows of every table in one query."""
    with database.connection_context():
        tables = sorted(t for t in database.get_tables() if t != "schema_migration")
        sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
        return dict(database.execute_sql(sql).fetchall())


def other_side(api, world):
    """The other side's objects, made the way its own people make them."""
    base = "/api/v1/diagnostics"
    admin, operator, methodist_b = api.as_("admin"), api.as_("operator"), api.as_("methodist_b")

    def made(response, status=201):
        assert response.status_code == status, (response.request.path, response.json)
        return response.json

    r2 = made(
        admin.post(
            "/api/v1/organizations", json={"kind": "region", "name": "Регион Два", "code": "r2"}
        )
    )
    for name in [p["name"] for p in admin.get("/api/v1/plugins").json["items"]]:
        made(operator.put(f"/api/v1/organizations/{world.region.id}/plugins/{name}"), 200)
        made(admin.put(f"/api/v1/organizations/{r2['id']}/plugins/{name}"), 200)
    deficit = made(admin.get(f"{base}/regions/{r2['id']}/deficits"), 200)[0]
    course = made(
        admin.post(
            f"{base}/regions/{r2['id']}/courses",
            json={"title": "Курс Регион Два", "provider": "ЦНППМ", "hours": 36},
        )
    )
    status = made(
        operator.post(
            f"/api/v1/organizations/{world.b1.id}/statuses",
            json={"status": "flagship", "start_date": f"{YEAR}-01-01"},
        )
    )
    campaign = made(
        methodist_b.post(
            "/api/v1/campaigns",
            json=campaign_body(
                world.muni_b.id,
                form_code="mentoring_monitoring",
                title="Мониторинг Муниципалитет Б",
            ),
        )
    )
    made(
        api.as_("coord_b1").put(
            f"/api/v1/campaigns/{campaign['id']}/submissions/{world.b1.id}", json={"data": {}}
        )
    )
    audit = made(
        methodist_b.post(
            "/api/v1/audits",
            json={"checklist_code": "mentoring_model_audit", "organization_id": world.b1.id},
        )
    )
    webhook = made(
        operator.post(
            "/api/v1/webhooks",
            json={
                "organization_id": world.muni_b.id,
                "url": "https://example.org/b",
                "secret": "0123456789abcdef",
            },
        )
    )
    staff = world.staff_b1.id
    result = made(
        methodist_b.post(
            f"{base}/staff/{staff}/results",
            json={
                "procedure": "regional",
                "date": f"{YEAR}-03-15",
                "area": "methodical",
                "score": 95,
            },
        )
    )
    members = made(methodist_b.get(f"{base}/organizations/{world.muni_b.id}/active"), 200)
    own = made(methodist_b.get(f"{base}/regions/{world.region.id}/deficits"), 200)[0]
    made(
        methodist_b.post(
            f"{base}/staff/{staff}/results",
            json={
                "procedure": "regional",
                "date": f"{YEAR}-03-16",
                "area": own["area"],
                "score": 30,
                "deficits": [own["id"]],
            },
        )
    )
    route = made(methodist_b.post(f"{base}/staff/{staff}/routes", json={}))
    step = made(
        methodist_b.post(
            f"{base}/routes/{route['id']}/steps",
            json={"kind": "self_education", "title": "Самообразование"},
        )
    )
    job = made(
        methodist_b.post("/api/v1/exports/staff/jobs", query_string={"scope": world.muni_b.id}), 202
    )
    with database.connection_context():
        grant = RoleGrant.get(RoleGrant.user == world.users["coord_b1"])
    return {
        "b1": world.b1.id, "b2": world.b2.id, "muni_b": world.muni_b.id, "staff_b1": staff,
        "coord_b1": world.users["coord_b1"].id, "r2": r2["id"], "deficit": deficit["id"],
        "course": course["id"], "status": status["id"], "grant": grant.id,
        "campaign": campaign["id"], "audit": audit["id"], "webhook": webhook["id"],
        "result": result["id"], "route": route["id"], "step": step["id"],
        "member": members["items"][0]["id"], "job": job["id"],
    }  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_objects_of_another_municipality_stay_invisible(api, world, who):
    foreign = other_side(api, world)
    spec = api.client.get("/api/openapi.json").json
    aimed, listings, skipped, outside, body_refusals = [], [], [], [], 0
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            method = method.upper()
            if method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                continue
            url, kwargs, aimed_by = request_for(method, path, op, spec, foreign)
            if (method, path) in SKIPPED:
                skipped.append((method, path))
            elif aimed_by:
                aimed.append((method, url, kwargs, aimed_by))
            elif method == "GET":
                listings.append((method, url, kwargs))
            else:
                outside.append((method, path))
    for method, url, kwargs, aimed_by in aimed:
        before = row_counts()
        response = api.as_(who).request(method, url, **kwargs)
        answer = (method, url, kwargs, response.status_code, response.get_data(as_text=True)[:300])
        if aimed_by == "body" and response.status_code == 422:
            # A body naming an object the caller cannot see: refused on that field exactly as
            # if the object did not exist (the same answer for an id that exists nowhere).
            refused = {path.rsplit(".", 1)[-1] for path in response.json["error"]["fields"]}
            assert refused <= set(OBJECTS), answer
            missing = api.as_(who).request(
                method, url, **{**kwargs, "json": nowhere(kwargs["json"], OBJECTS)}
            )
            assert (missing.status_code, missing.json) == (422, response.json), answer
            body_refusals += 1
        else:
            assert response.status_code in (403, 404), answer
        body = response.get_data(as_text=True)
        assert not any(marker in body for marker in FOREIGN_MARKERS), (method, url, body[:200])
        assert row_counts() == before, (method, url)
    for method, url, kwargs in listings:  # what everyone may list shows nothing of the other side
        response = api.as_(who).request(method, url, **kwargs)
        assert response.status_code in (200, 403, 404), (method, url, response.status_code)
        body = response.get_data().decode("utf-8", "replace")
        assert not any(marker in body for marker in FOREIGN_MARKERS), (method, url, body[:200])
    print(
        f"{who}: {len(aimed)} operations aimed at the other side ({body_refusals} refused on "
        f"a body field), {len(listings)} listings leak-checked, skipped: {skipped}"
    )
    assert set(outside) == set(NOT_AIMED)
    assert len(aimed) >= 80 and len(skipped) == len(SKIPPED) <= 3
