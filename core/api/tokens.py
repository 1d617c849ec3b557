"""Sign-in for API clients: POST/DELETE /api/v1/auth/token, GET /api/v1/auth/me."""

from flask import current_app, g

from core import audit, users
from core.api.auth import current, public
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.db import database
from core.models import User
from core.schemas.user import MeSchema, TokenRequestSchema, TokenSchema
from core.security import throttle, tokens
from core.security.passwords import verify_password

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Вход по токену")

BAD_CREDENTIALS = "Неверный логин или пароль."


def check_credentials(login: str, password: str) -> User:
    """The user for a login and password, applying throttling; raises ApiError otherwise.

    The same message for an unknown login, a wrong password and an inactive
    account: the answer never says which part was wrong.
    """
    cfg = current_app.config
    wait = throttle.locked_for(login)
    if wait is not None:
        minutes = max(1, round(wait.total_seconds() / 60))
        with database.atomic():
            audit.record("login_locked", login=throttle.normalise(login))
        raise ApiError(
            429,
            f"Слишком много неудачных попыток входа. Повторите через {minutes} мин.",
            code="login_locked",
            headers={"Retry-After": str(int(wait.total_seconds()) + 1)},
        )
    user = User.get_or_none(User.login == throttle.normalise(login))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.record_failure(login, cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])
        with database.atomic():
            audit.record(
                "login_failure",
                user=user,
                login=throttle.normalise(login),
                scope_path=users.scope_path(user) if user else "/",
            )
        raise ApiError(401, BAD_CREDENTIALS, code="bad_credentials")
    throttle.record_success(login)
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
