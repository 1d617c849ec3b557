"""Sign-in for API clients: POST/DELETE /api/v1/auth/token, GET /api/v1/auth/me."""

from flask import current_app, g

from core import audit, users
from core.api.auth import current, public
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.db import database
from core.models import User
from core.schemas.user import MeSchema, TokenRequestSchema, TokenSchema
from core.security import clients, throttle, tokens
from core.security.passwords import verify_password

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Вход по токену")

BAD_CREDENTIALS = "Неверный логин или пароль."
LOGIN_LOCKED = "Слишком много неудачных попыток входа."
CLIENT_LOCKED = "Слишком много неудачных попыток входа с этого адреса."


CLIENT_MAX_FAILURES = 30  # failed sign-ins from one client within the window (any logins)
CLIENT_LOCK_MINUTES = 15


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def _locked(wait, code: str, message: str, login: str) -> ApiError:
    minutes = max(1, round(wait.total_seconds() / 60))
    with database.atomic():
        audit.record("login_locked", login=throttle.normalise(login))
    return ApiError(
        429,
        f"{message} Повторите через {minutes} мин.",
        code=code,
        headers={"Retry-After": str(int(wait.total_seconds()) + 1)},
    )


def check_credentials(login: str, password: str) -> User:
    """The user for a login and password, applying throttling; raises ApiError otherwise.

    The client's lock comes first and stops every attempt from it; the login's lock stops
    guesses but not a client trusted for that login (a device that signed in as it before,
    or an allowed network), so nobody outside can lock an account out.  The same message
    for an unknown login, a wrong password and an inactive account: the answer never says
    which part was wrong.
    """
    client = clients.throttle_key(clients.address())
    wait = throttle.client_locked_for(client)
    if wait is not None:
        raise _locked(wait, "client_locked", CLIENT_LOCKED, login)
    user = User.get_or_none(User.login == throttle.normalise(login))
    trusted = clients.trusted_device(user) or clients.in_allow_networks(clients.address())
    wait = throttle.locked_for(login)
    if wait is not None and not (user is not None and trusted):
        raise _locked(wait, "login_locked", LOGIN_LOCKED, login)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        cfg = current_app.config
        throttle.record_failure(login, cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])
        throttle.record_client_failure(
            client,
            _setting("CLIENT_MAX_FAILURES", CLIENT_MAX_FAILURES),
            _setting("CLIENT_LOCK_MINUTES", CLIENT_LOCK_MINUTES),
        )
        with database.atomic():
            audit.record(
                "login_failure",
                user=user,
                login=throttle.normalise(login),
                scope_path=users.scope_path(user) if user else "/",
            )
        raise ApiError(401, BAD_CREDENTIALS, code="bad_credentials")
    throttle.record_success(login)
    clients.remember_device(user)
    with database.atomic():
        audit.record("login_success", user=user, scope_path=users.scope_path(user))
    return user


@blp.route("/token", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@public
def create_token(body):
    user = check_credentials(body["login"], body["password"])
    with database.atomic():
        token, row = tokens.issue(user, current_app.config["TOKEN_TTL_HOURS"])
    return {"token": token, "token_type": "Bearer", "expires_at": row.expires_at}


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
def revoke_token():
    current()
    with database.atomic():
        tokens.revoke(g.api_token)
        audit.record("logout", user=g.api_token.user, scope_path=users.scope_path(g.api_token.user))


@blp.route("/me")
@blp.response(200, MeSchema)
def me():
    user = current().user
    return {"user": user}
