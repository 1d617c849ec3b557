"""Who is calling: bearer token → Principal, and the public-route marker."""

from flask import g, request
from peewee import JOIN

from core.access import ROOT, Grant, Principal
from core.api.errors import ApiError
from core.db import cached_select
from core.models import Organization, RoleGrant
from core.security import tokens


def public(view):
    """Mark a view as reachable without credentials."""
    view._metodnet_public = True
    return view


def is_public(view) -> bool:
    return getattr(view, "_metodnet_public", False)


def principal_for(user) -> Principal:
    query = (
        RoleGrant.select(RoleGrant, Organization)
        .join(Organization, JOIN.LEFT_OUTER, on=(RoleGrant.scope == Organization.id))
        .where(RoleGrant.user == user.id)
    )
    rows = cached_select("auth.principal_for", query, (user.id,))
    grants = [
        Grant(row.role, row.scope.path if row.scope_id else ROOT, row.staff_id) for row in rows
    ]
    return Principal(user, grants)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def authenticate() -> Principal | None:
    """Load the principal for the request's bearer token (None without one)."""
    token = bearer_token()
    if token is None:
        return None
    row = tokens.find_valid(token)
    if row is None or not row.user.active:
        raise ApiError(401, "Токен недействителен, истёк или отозван.", code="invalid_token")
    g.api_token = row
    return principal_for(row.user)


def current() -> Principal:
    principal = g.get("principal")
    if principal is None:
        raise ApiError(401)
    return principal
