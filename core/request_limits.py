"""Limits on what a request may carry before any view runs, answered in Russian (JSON for
the API, a page otherwise) instead of the server's English text:

- a query string longer than MAX_QUERY_STRING_BYTES → 414;
- a header value longer than MAX_HEADER_BYTES (a 10 KB ``Idempotency-Key``) → 431;
- a body shorter than its declared Content-Length → 400 and the view never runs.  The
  production server (waitress) never dispatches such a request; a server that passes the
  stream through as it is (gunicorn sets ``wsgi.input_terminated``) would otherwise hand
  the view a truncated body that may still parse (a staff record was created, 201).
"""

from flask import current_app, request
from werkzeug.exceptions import ClientDisconnected

from core.api.errors import ApiError

SHORT_BODY = "Тело запроса короче заявленной длины (Content-Length): запрос не выполнен."


def check_request():
    config = current_app.config
    if len(request.query_string) > config["MAX_QUERY_STRING_BYTES"]:
        raise ApiError(
            414,
            f"Слишком длинная строка запроса (больше {config['MAX_QUERY_STRING_BYTES']} байт).",
            code="uri_too_long",
        )
    limit = config["MAX_HEADER_BYTES"]
    for name, value in request.headers.items():
        if len(value) > limit:
            raise ApiError(
                431,
                f"Слишком длинный заголовок {name[:64]} (больше {limit} байт).",
                code="header_too_large",
            )
    declared = request.content_length
    if declared:
        # Bounded by MAX_CONTENT_LENGTH (413 before reading); the body is kept for the view.
        try:
            complete = len(request.get_data(cache=True)) == declared
        except ClientDisconnected:
            complete = False
        if not complete:
            raise ApiError(400, SHORT_BODY, code="incomplete_body")


def init_app(app):
    # First of all before-request functions: nothing reads the database for such a request.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
