"""HTML pages of the diagnostics block (Russian, server-rendered, no JavaScript).

Every page calls the domain functions the API calls (``reads``, ``routes``, ``support``,
``catalogue_edits``), so access rules and personal-data read logging are the same.
"""

from flask import Blueprint, g, render_template
from werkzeug.exceptions import HTTPException

from plugins.diagnostics.pages._shell import csrf_token

bp = Blueprint(
    "diagnostics_pages", __name__, url_prefix="/diagnostics", template_folder="../templates"
)

ERRORS = {
    404: "Страница или объект не найдены.",
    403: "Недостаточно прав.",
    400: "Некорректный запрос (обновите страницу и повторите).",
}


@bp.context_processor
def _helpers():
    from plugins.diagnostics.pages.nav import menu_links

    principal = g.get("principal")
    return {"csrf_token": csrf_token, "block_links": menu_links(principal) if principal else []}


@bp.errorhandler(HTTPException)
def _page_error(error):
    """Russian HTML, never the API's JSON (ApiError carries its own Russian message)."""
    message = ERRORS.get(error.code) or getattr(error, "message", None) or "Ошибка."
    return render_template("diagnostics/error.html", message=message, status=error.code), (
        error.code
    )


def blueprint() -> Blueprint:
    from plugins.diagnostics.pages import assigned, catalogue, mine, person, staff  # noqa: F401

    return bp
