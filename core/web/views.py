"""The shell's own pages: sign-in, sign-out and the home page «Рабочий стол»."""

import secrets
from urllib.parse import unquote, urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from core.api.errors import ApiError
from core.api.tokens import check_credentials
from core.web import shell
from core.web.session import csrf_token, login_required, sign_in, sign_out

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)


@bp.app_context_processor
def _layout():
    """The layout's helpers; the menu is read lazily, so a page that never shows it
    (an error raised before sign-in is known) reads nothing."""
    principal = g.get("principal") or g.get("page_principal")
    return {
        "csrf_token": csrf_token,
        "principal": principal,
        "shell_menu": lambda: shell.menu_links(principal),
    }


def _safe_next(target):
    """``next`` after sign-in: a path of this site only.  Browsers drop tabs and newlines
    and read a backslash as a slash, so ``/%09/evil.example`` (a tab) or a backslash would
    lead off the site; any such character, a scheme, a host or ``//`` — also once
    percent-decoded — sends the user home instead."""
    if _is_local_path(target) and _is_local_path(unquote(target)):
        return target
    return url_for("web.home")


def _is_local_path(target) -> bool:
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(ch == "\\" or ch.isspace() or not ch.isprintable() for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@bp.route("/")
@login_required
def home():
    return render_template("home.html", widgets=shell.home_widgets(g.principal))


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    error, status, headers = None, 200, {}
    if request.method == "POST":
        nonce = session.pop("signin_nonce", None)
        if not nonce or not secrets.compare_digest(nonce, request.form.get("nonce", "")):
            error = "Форма устарела, попробуйте ещё раз."
        else:
            try:
                user = check_credentials(
                    request.form.get("login", ""), request.form.get("password", "")
                )
            except ApiError as refused:
                # A lock answers 429 with Retry-After, as the API does.
                error, status, headers = refused.message, refused.code, refused.extra_headers
            else:
                sign_in(user)
                return redirect(_safe_next(request.args.get("next")))
    session["signin_nonce"] = secrets.token_urlsafe(16)
    if error and status == 200:
        status = 401
    page = render_template("signin.html", error=error, nonce=session["signin_nonce"])
    return page, status, headers


@bp.route("/signout", methods=["POST"])
@login_required
def signout():
    sign_out()
    return redirect(url_for("web.signin"))
