"""Errors answer in the caller's language: a Russian HTML page for a page URL, the JSON
error shape for the API (``/api/``).  One handler for both, so no page ever shows JSON."""

import logging

from flask import g, render_template, request
from werkzeug.exceptions import HTTPException

from core import db
from core.api import database_unavailable
from core.api.errors import ApiError, response_for

log = logging.getLogger(__name__)

MESSAGES = {
    400: "Некорректный запрос. Обновите страницу и повторите.",
    401: "Требуется вход в систему.",
    403: "Недостаточно прав для этой страницы.",
    404: "Страница не найдена или недоступна.",
    405: "Этот адрес не принимает такой запрос.",
    413: "Слишком большой запрос.",
    500: "Внутренняя ошибка сервера. Данные не изменены.",
    503: "Сервис временно недоступен. Повторите попытку через минуту.",
}


def is_page_request() -> bool:
    return not request.path.startswith("/api/")


def page_error(status: int, message: str | None = None):
    """The Russian error page; a 500 shows no menu (the database may be what failed)."""
    context = {"status": status, "message": message or MESSAGES.get(status, "Ошибка.")}
    if status >= 500:
        context["shell_menu"] = lambda: []
    else:
        from core.web.session import current_principal

        g.principal = g.get("principal") or current_principal()
        context["principal"] = g.principal
    return render_template("error.html", **context), status


def _http_error(error: HTTPException):
    if not is_page_request():
        return response_for(error)
    message = error.message if isinstance(error, ApiError) and error.description else None
    body, status = page_error(error.code or 500, message)
    return body, status, getattr(error, "extra_headers", None) or {}


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    if db.is_unavailable(error):
        return _http_error(database_unavailable(error))
    log.exception("unhandled error on %s %s", request.method, request.path)
    if not is_page_request():
        return response_for(ApiError(500))
    return page_error(500)


def init_app(app):
    # Replaces the API's handlers (registered first) with ones that also know pages.
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
