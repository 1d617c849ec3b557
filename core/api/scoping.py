"""Fetch objects the way the scope rule says: outside scope is 404, not 403."""

from functools import reduce
from operator import or_

from core.api.auth import current
from core.api.errors import ApiError
from core.models import Organization
from core.models.organization import in_subtree


def in_scopes(path_field, scopes):
    """A peewee condition: ``path_field`` lies in one of the subtrees ``scopes``."""
    if not scopes:
        # Matches nothing (PostgreSQL refuses a NUL character in a string literal).
        return path_field.is_null() & ~path_field.is_null()
    return reduce(or_, (in_subtree(path_field, scope) for scope in scopes))


def organization(org_id: int, permission: str | None = None) -> Organization:
    """The organisation if the caller sees it (else 404) and holds ``permission`` (else 403)."""
    principal = current()
    org = Organization.get_or_none(Organization.id == org_id)
    if org is None or not principal.sees(org.path):
        raise ApiError(404)
    if permission and not principal.can(permission, org.path):
        raise ApiError(403)
    return org


def require(permission: str, path: str) -> None:
    if not current().can(permission, path):
        raise ApiError(403)
