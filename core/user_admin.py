"""Managing accounts as a person does (the API's /users and the users pages): create an
account with its roles, grant and revoke a role, change an account — each with its audit
entry.  Who may do it is checked by the caller (``core.api.users``: visible_user,
may_manage, resolve_grant), the same checks for both."""

from peewee import JOIN

from core import audit, users
from core.access import ROOT
from core.api.scoping import in_scopes
from core.db import database
from core.models import Organization, RoleGrant, User
from core.models.organization import in_subtree
from core.schemas.user import GrantSchema


def _record(action, actor, user, scope_path, **change):
    audit.record(
        action, user=actor, object_type="user", object_id=user.id, scope_path=scope_path, **change
    )


def visible_users(principal, role=None, scope=None, text=None):
    """Accounts holding a role where the caller reads users (every account for a root
    reader), optionally with ``role``, under the organisation ``scope``, matching ``text``."""
    scopes = principal.scopes("user.read")
    query = User.select().distinct()
    if ROOT not in scopes or role or scope is not None:
        query = query.join(RoleGrant).join(
            Organization, JOIN.LEFT_OUTER, on=(RoleGrant.scope == Organization.id)
        )
        if ROOT not in scopes:
            query = query.where(in_scopes(Organization.path, scopes))
        if role:
            query = query.where(RoleGrant.role == role)
        if scope is not None:
            query = query.where(in_subtree(Organization.path, scope.path))
    if text:
        query = query.where(User.login.contains(text) | User.full_name.contains(text))
    return query


def create_account(actor, *, login, password, full_name, email="", active=True, grants=()):
    """The account and its grants (RoleGrant keyword arguments); AccountError names the field."""
    with database.atomic():
        user = users.create_user(
            login=login, password=password, full_name=full_name, email=email, active=active
        )
        for kwargs in grants:
            users.grant(user, **kwargs)
        _record(
            "create",
            actor,
            user,
            users.scope_path(user),
            after={**users.snapshot(user), "grants": [GrantSchema().dump(g) for g in user.grants]},
        )
    return user


def add_grant(actor, user, grant: dict):
    with database.atomic():
        row = users.grant(user, **grant)
        _record("grant", actor, user, users.grant_path(row), after=GrantSchema().dump(row))
    return row


def revoke_grant(actor, user, row) -> None:
    with database.atomic():
        _record("revoke", actor, user, users.grant_path(row), before=GrantSchema().dump(row))
        row.delete_instance()


def update_account(actor, user, changes: dict) -> None:
    """Name, e-mail, active, password; a deactivated account or a new password ends every
    session and token of the account."""
    before = users.snapshot(user)
    with database.atomic():
        for key in ("full_name", "email", "active"):
            if key in changes:
                setattr(user, key, changes[key])
        if "password" in changes:
            users.set_password(user, changes["password"])
        user.save()
        if not user.active or "password" in changes:
            users.revoke_tokens(user)
        old, new = audit.changes(before, users.snapshot(user))
        if "password" in changes:
            old["password"], new["password"] = "***", "изменён"
        _record("update", actor, user, users.scope_path(user), before=old, after=new)
