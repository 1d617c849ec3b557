"""The organisations a page offers in its scope selector: where the person holds a
permission (an installation-wide grant offers every region), by name."""

from core.access import ROOT
from core.models import Organization
from exports.names import natural_key


def scope_choices(principal, permission) -> list[Organization]:
    paths = principal.scopes(permission)
    if not paths:
        return []
    query = Organization.select().where(Organization.active == True)  # noqa: E712
    if ROOT in paths:
        query = query.where(Organization.kind == "region")
    else:
        query = query.where(Organization.path.in_(paths))
    return sorted(query, key=lambda org: (len(org.path), natural_key(org.name)))


def with_current(choices, scope) -> list[Organization]:
    """The selector's options: the person's scopes, and the one shown (reached by drilling
    down) when it is not among them."""
    if any(org.id == scope.id for org in choices):
        return choices
    return [*choices, scope]
