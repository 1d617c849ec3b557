"""User accounts: creation and grants, shared by the API and the CLI."""

from core.models import RoleGrant, User, utcnow
from core.security.passwords import hash_password, password_problem
from core.security.throttle import normalise


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
        raise AccountError("login", "Пользователь с таким логином уже существует.")
    return User.create(
        login=key,
        password_hash=hash_password(password),
        full_name=full_name,
        email=email,
        active=active,
    )


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
