"""User accounts: creation and grants, shared by the API and the CLI."""

from peewee import IntegrityError

from core.db import database
from core.models import RoleGrant, User, utcnow
from core.security.passwords import hash_password, password_problem, verify_password
from core.security.throttle import locked_for, normalise, record_failure

LOGIN_TAKEN = "Пользователь с таким логином уже существует."


class AccountError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def create_user(*, login, password, full_name, email="", active=True) -> User:
    """Insert a user (call inside a transaction); grants are added separately."""
    problem = password_problem(password)
    if problem:
        raise AccountError("password", problem)
    key = normalise(login)
    if User.select().where(User.login == key).exists():
        raise AccountError("login", LOGIN_TAKEN)
    try:
        with database.atomic():  # a savepoint: PostgreSQL's transaction stays usable
            return User.create(
                login=key,
                password_hash=hash_password(password),
                full_name=full_name,
                email=email,
                active=active,
            )
    except IntegrityError:  # a parallel request took the login after the check above
        raise AccountError("login", LOGIN_TAKEN) from None


def check_current_password(user: User, password: str | None, limits: tuple[int, int]) -> None:
    """Changing one's own password needs the current one.  A wrong one counts as a failed
    sign-in of the login (``limits``: failures and lock minutes), so a stolen token cannot
    be used to guess the password; call outside the change's transaction."""
    if not password:
        raise AccountError("current_password", "Укажите текущий пароль.")
    if locked_for(user.login) is not None:
        raise AccountError("current_password", "Слишком много неудачных попыток, подождите.")
    if not verify_password(user.password_hash, password):
        record_failure(user.login, *limits)
        raise AccountError("current_password", "Текущий пароль указан неверно.")


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError("password", problem)
    user.password_hash = hash_password(password)


def revoke_tokens(user: User) -> None:
    from core.models import ApiToken

    ApiToken.update(revoked_at=utcnow()).where(
        ApiToken.user == user, ApiToken.revoked_at.is_null()
    ).execute()


def grant(user: User, role: str, scope=None, staff=None) -> RoleGrant:
    return RoleGrant.create(user=user, role=role, scope=scope, staff=staff)


def grant_path(grant: RoleGrant) -> str:
    """The subtree a grant covers ("/" for an installation-wide grant)."""
    from core.access import ROOT

    return grant.scope.path if grant.scope_id else ROOT


def scope_path(user: User) -> str:
    """Where entries about this user belong in the audit log: their first grant's subtree."""
    first = user.grants.order_by(RoleGrant.id).first()
    return grant_path(first) if first else "/"


def snapshot(user: User) -> dict:
    return {
        "login": user.login,
        "full_name": user.full_name,
        "email": user.email,
        "active": user.active,
    }
