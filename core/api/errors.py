"""One error shape for every failure: {"error": {"code", "message", "fields"}}."""

from flask import jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "Некорректный запрос.",
    401: "Требуется вход в систему.",
    403: "Недостаточно прав для этого действия.",
    404: "Объект не найден.",
    405: "Метод не поддерживается для этого адреса.",
    409: "Конфликт с текущим состоянием данных.",
    413: "Слишком большой запрос.",
    415: "Неподдерживаемый тип содержимого.",
    422: "Проверьте введённые данные.",
    429: "Слишком много запросов.",
    500: "Внутренняя ошибка сервера. Данные не изменены.",
}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
}


class ApiError(HTTPException):
    """Raise from a view to answer with a given status, code, message and field errors."""

    def __init__(
        self, status, message=None, *, code=None, fields=None, headers=None, problems=None
    ):
        super().__init__(description=message)
        self.problems = problems
        self.code = status
        self.error_code = code or CODES.get(status, "error")
        self.message = message or MESSAGES.get(status, "Ошибка.")
        self.fields = fields or {}
        self.extra_headers = headers or {}


def not_found():
    return ApiError(404)


def field_error(field, message, status=422):
    return ApiError(status, MESSAGES[422], fields={field: [message]})


def flatten(messages, prefix="") -> dict[str, list[str]]:
    """marshmallow's nested messages → {"a.b.0": ["..."]}."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "_schema"
            for field, texts in flatten(value, name).items():
                flat.setdefault(field, []).extend(texts)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten(value, f"{prefix}.{index}"))
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def payload(status, code, message, fields=None):
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def response_for(error: HTTPException):
    status = error.code or 500
    if isinstance(error, ApiError):
        body = payload(status, error.error_code, error.message, error.fields)
        if error.problems is not None:
            body["error"]["problems"] = error.problems
        headers = error.extra_headers
    else:
        data = getattr(error, "data", None) or {}
        fields = {}
        if "messages" in data:  # webargs: {"json": {...}} or {"query": {...}}
            for location_messages in data["messages"].values():
                fields.update(flatten(location_messages))
        if fields == {"_schema": ["Invalid JSON body."]}:
            status, fields = 400, {"_schema": ["Тело запроса не является корректным JSON."]}
        message = MESSAGES.get(status, error.name)
        body = payload(status, CODES.get(status, "error"), message, fields)
        headers = data.get("headers") or {}
    response = jsonify(body)
    response.status_code = status
    for name, value in headers.items():
        response.headers[name] = value
    return response


class ErrorDetailSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(
        data_key="fields", keys=fields.String(), values=fields.List(fields.String()), required=True
    )
    problems = fields.List(fields.Raw())


class ErrorSchema(Schema):
    """The documented shape of every error answer (OpenAPI's default response)."""

    error = fields.Nested(ErrorDetailSchema, required=True)
