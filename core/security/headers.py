"""Security headers on every answer, and no server banner.

- Frames: no page may be framed (the review page's «Принять» button must not be clickable
  through someone else's site): CSP ``frame-ancestors 'none'`` and ``X-Frame-Options``.
- Content: the pages load only the project's own styles, scripts and images (no inline
  ones: the templates keep their styles in static files).
- ``nosniff``, a referrer that stays on the site, and ``no-store`` on everything but the
  static files (pages and API answers carry personal data).
"""

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _is_static(endpoint: str | None) -> bool:
    return bool(endpoint) and (endpoint == "static" or endpoint.endswith(".static"))


def init_app(app):
    from flask import request

    @app.after_request
    def _secure(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not _is_static(request.endpoint):
            response.headers["Cache-Control"] = "no-store"
        # The production server's banner is removed by core.serve; Werkzeug's own server
        # (tests, `flask run`) adds it after this point.
        response.headers.pop("Server", None)
        return response
