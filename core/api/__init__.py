"""The JSON API under /api/v1 and its OpenAPI document at /api/openapi.json."""

import logging

from flask import g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from core import __version__, db
from core.api.errors import ApiError, ErrorSchema, response_for
from core.schemas.base import MAX_INT, OptionalEmail

log = logging.getLogger(__name__)

SPEC = {
    "API_TITLE": "metodnet",
    "API_VERSION": __version__,
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "security": [{"bearerAuth": []}],
        "info": {"description": "Методическая служба региона: JSON API."},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    },
}


UNAVAILABLE = "База данных временно недоступна. Повторите попытку через минуту."
RETRY_AFTER_S = 30


def database_unavailable(error: Exception) -> ApiError:
    """The 503 for a database that is down, dropped the connection or did not answer in
    time; logged once per minute (not once per request: the log must stay readable)."""
    db.unavailable_log.error(
        "database", "database unavailable on %s %s: %s", request.method, request.path, error
    )
    return ApiError(
        503, UNAVAILABLE, code="unavailable", headers={"Retry-After": str(RETRY_AFTER_S)}
    )


# Endpoints of libraries (not ours to decorate) that anyone may read.
PUBLIC_ENDPOINTS = {"api-docs.openapi_json"}


class MetodnetApi(Api):
    """flask-smorest's Api with metodnet's error shape, also in the OpenAPI document."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return response_for(error)

    def register_blueprint(self, blp, **options):
        super().register_blueprint(blp, **options)
        for operations in self.spec._paths.values():
            for operation in operations.values():
                if isinstance(operation, dict):
                    form_fields_into_body(operation, self.spec.components.schemas)


def form_fields_into_body(operation: dict, schemas: dict) -> None:
    """Form fields beside a file upload: flask-smorest documents the first body argument
    as the request body and leaves the second as an ``in: formData`` parameter, which only
    Swagger 2 knows.  In OpenAPI 3 they are properties of the multipart body (one object:
    the file's schema forbids other properties, so an ``allOf`` could never be met)."""
    form = [p for p in operation.get("parameters", []) if p.get("in") == "formData"]
    body = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if not form or body is None:
        return
    schema = body["schema"]
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    body["schema"] = {
        **schema,
        "properties": {
            **schema.get("properties", {}),
            **{p["name"]: {**p["schema"], **_described(p)} for p in form},
        },
        "required": [*schema.get("required", []), *[p["name"] for p in form if p.get("required")]],
    }
    operation["parameters"] = [p for p in operation["parameters"] if p not in form]
    if not operation["parameters"]:
        del operation["parameters"]


def _described(parameter: dict) -> dict:
    return {"description": parameter["description"]} if "description" in parameter else {}


class DatabaseInteger(IntegerConverter):
    """<int:id> in URLs: an id no database column can hold is simply not found (404)
    instead of overflowing inside the driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _core_blueprints():
    from core.api import (
        audit_log,
        block_settings,
        health,
        imports,
        organizations,
        permissions,
        plugins,
        staff,
        tokens,
        users,
        vocabulary,
    )
    from core.api.profile import blp as profile_blp

    return [
        health.blp,
        tokens.blp,
        organizations.blp,
        staff.blp,
        profile_blp,
        users.blp,
        plugins.blp,
        audit_log.blp,
        imports.blp,
        permissions.blp,
        vocabulary.blp,
        block_settings.blp,
    ]


def init_app(app):
    from core.api.auth import authenticate, is_public
    from core.api.plugin_routes import register_plugin_blueprints

    for key, value in SPEC.items():
        app.config.setdefault(key, value)
    # Before any route is added (pages included): routes compile their converters then.
    app.url_map.converters["int"] = DatabaseInteger
    api = MetodnetApi(app)
    api.register_field(OptionalEmail, "string", None)
    for blueprint in _core_blueprints():
        api.register_blueprint(blueprint)
    app.extensions["metodnet.api"] = api

    @app.before_request
    def _authenticate():
        g.principal = None
        if not request.path.startswith("/api/"):
            return None
        g.principal = authenticate()
        view = app.view_functions.get(request.endpoint)
        public = request.endpoint in PUBLIC_ENDPOINTS or (view is not None and is_public(view))
        if view is not None and not public and g.principal is None:
            raise ApiError(401, headers={"WWW-Authenticate": "Bearer"})
        return None

    # After authentication: a caller without credentials learns nothing of activation.
    register_plugin_blueprints(app, api)

    @app.errorhandler(RecursionError)
    def _too_deep(error):
        return response_for(ApiError(400, "Слишком глубокая вложенность JSON.", code="too_deep"))

    @app.errorhandler(Exception)
    def _unexpected(error):
        if isinstance(error, HTTPException):
            return response_for(error)
        if db.is_unavailable(error):
            return response_for(database_unavailable(error))
        log.exception("unhandled error on %s %s", request.method, request.path)
        return response_for(ApiError(500))
