"""Browser sessions of the pages: a server-side token in a signed, HttpOnly cookie.

The token is an ordinary API token row, so signing out or expiry revokes it
server-side; every sign-in issues a new one (no session fixation).  CSRF: each
state-changing form carries an HMAC of the session token.
"""

import hashlib
import hmac
from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for

from core.api.auth import principal_for
from core.security import tokens

SESSION_KEY = "t"


def sign_in(user) -> None:
    session.clear()
    token, _ = tokens.issue(user, current_app.config["TOKEN_TTL_HOURS"])
    session[SESSION_KEY] = token
    session.permanent = True


def sign_out() -> None:
    token = session.get(SESSION_KEY)
    if token:
        row = tokens.find_valid(token)
        if row is not None:
            tokens.revoke(row)
    session.clear()
    g.pop("page_principal", None)


def load_principal():
    """The principal of the browser session, or None (expired and revoked ones included)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = tokens.find_valid(token)
    if row is None or not row.user.active:
        session.clear()
        return None
    return principal_for(row.user)


def csrf_token() -> str:
    token = session.get(SESSION_KEY, "")
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"csrf:{token}".encode(), hashlib.sha256).hexdigest()


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    if not session.get(SESSION_KEY) or not hmac.compare_digest(sent, csrf_token()):
        abort(400, "CSRF")


def current_principal():
    """The signed-in principal of this request, loaded once (None when signed out)."""
    if "page_principal" not in g:
        g.page_principal = load_principal()
    return g.page_principal


def check_csrf_first():
    """Before any other check (the blocks' URL guard included): a signed-in browser's POST to
    a page carries the session's CSRF token, so a forged form learns nothing, not even
    whether the object it names exists.  A signed-out POST goes on to the sign-in redirect."""
    view = current_app.view_functions.get(request.endpoint)
    if (
        request.method == "POST"
        and getattr(view, "_metodnet_page", False)
        and session.get(SESSION_KEY)
    ):
        check_csrf()


def login_required(view):
    """A page for signed-in people: a sign-in redirect otherwise, and CSRF on every POST."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.principal = current_principal()
        if g.principal is None:
            return redirect(url_for("web.signin", next=request.full_path.rstrip("?")))
        if request.method == "POST":
            check_csrf()
        return view(*args, **kwargs)

    wrapper._metodnet_page = True
    return wrapper
