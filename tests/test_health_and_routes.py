"""Health, the OpenAPI document, and the classification of every route."""

import re

from core.api import PUBLIC_ENDPOINTS
from core.api.auth import is_public

PUBLIC = {
    ("/api/v1/health", "GET"),
    ("/api/v1/auth/token", "POST"),
    ("/api/openapi.json", "GET"),
}


def test_health_is_public(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"


def test_openapi_documents_every_api_route(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = set()
    for path, operations in spec["paths"].items():
        for method in operations:
            documented.add((path, method.upper()))
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in the OpenAPI document"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_route_is_public_or_needs_credentials(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.rule.startswith("/api"):
            continue
        view = app.view_functions[rule.endpoint]
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        declared_public = is_public(view) or rule.endpoint in PUBLIC_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            # Public routes are exactly the ones listed here: a new one must be added on purpose.
            listed = (rule.rule, method) in PUBLIC
            assert declared_public == listed, f"{method} {rule.rule}: public={declared_public}"
            if declared_public:
                continue
            response = client.open(url, method=method)
            assert response.status_code == 401, f"{method} {url} answered {response.status_code}"
            assert response.json["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"] == "Bearer"
