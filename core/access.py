"""Roles, permissions and the scope rule.

A user holds role grants, each on an organisation subtree.  An object
outside every subtree the user can see does not exist for them (404); an
object inside that the role may not touch is refused (403).

Roles and permissions are declared through hooks (``register_roles``,
``register_permissions``) by the core, its engines and the blocks alike; at start-up
``build_table`` turns the registry into the one table every check reads.
"""

from dataclasses import dataclass

from flask import current_app

from core.plugins import PluginError

ROOT = "/"  # the scope path of an installation-wide grant
EXTENSION = "metodnet.access"


@dataclass(frozen=True)
class AccessTable:
    """Who holds what, from the registry: role code → {"title", "rank", "owner"},
    permission code → {"title", "roles" (frozenset), "owner"}."""

    roles: dict[str, dict]
    permissions: dict[str, dict]

    def holders(self, permission: str) -> frozenset[str]:
        """Roles holding ``permission``; an unknown code is a programming error (KeyError)."""
        return self.permissions[permission]["roles"]


def build_table(registry) -> AccessTable:
    """Check the declared roles and permissions and index them; refuse a permission given
    to a role nobody declared, or a role without a whole-number rank."""
    roles = {}
    for code, decl in registry.declarations["roles"].items():
        owner = registry.owner("roles", code)
        if not decl.get("title") or not isinstance(decl.get("rank"), int):
            raise PluginError(f"plugin {owner!r}: role {code!r} needs a title and an integer rank")
        roles[code] = {"title": decl["title"], "rank": decl["rank"], "owner": owner}
    permissions = {}
    for code, decl in registry.declarations["permissions"].items():
        owner = registry.owner("permissions", code)
        unknown = sorted(set(decl.get("roles", ())) - set(roles))
        if unknown:
            raise PluginError(
                f"plugin {owner!r}: permission {code!r} names unknown roles {', '.join(unknown)}"
            )
        if not decl.get("title"):
            raise PluginError(f"plugin {owner!r}: permission {code!r} has no title")
        permissions[code] = {
            "title": decl["title"],
            "roles": frozenset(decl.get("roles", ())),
            "owner": owner,
        }
    return AccessTable(roles, permissions)


def table() -> AccessTable:
    """The current app's table (built by create_app)."""
    return current_app.extensions[EXTENSION]


def role_titles() -> dict[str, str]:
    """Role code → Russian title, every declared role."""
    return {code: role["title"] for code, role in table().roles.items()}


def role_title(code: str) -> str:
    role = table().roles.get(code)
    return role["title"] if role else code


def is_role(code: str) -> bool:
    return code in table().roles


@dataclass(frozen=True)
class Grant:
    role: str
    path: str  # scope subtree's materialised path, or ROOT
    staff_id: int | None = None


def within(path: str, scope: str) -> bool:
    return path.startswith(scope)


class Principal:
    """The caller: a user and their grants, with the checks every view uses."""

    def __init__(self, user, grants: list[Grant]):
        self.user = user
        self.grants = grants

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    @property
    def staff_ids(self) -> set[int]:
        return {g.staff_id for g in self.grants if g.role == "teacher" and g.staff_id}

    def scopes(self, permission: str | None = None) -> list[str]:
        """Subtree paths where the caller holds ``permission`` (any role if None)."""
        # A grant of a role no installed plugin declares any more gives nothing.
        allowed = table().roles if permission is None else table().holders(permission)
        paths = {g.path for g in self.grants if g.role in allowed}
        # Drop paths nested in other paths: one prefix per subtree.
        return sorted(p for p in paths if not any(o != p and within(p, o) for o in paths))

    def sees(self, path: str) -> bool:
        return any(within(path, scope) for scope in self.scopes())

    def can(self, permission: str, path: str) -> bool:
        return any(within(path, scope) for scope in self.scopes(permission))

    def max_rank_at(self, path: str) -> int:
        roles = table().roles
        ranks = [
            roles[g.role]["rank"] for g in self.grants if g.role in roles and within(path, g.path)
        ]
        return max(ranks, default=0)

    def may_grant(self, role: str, path: str) -> bool:
        if not self.can("user.write", path):
            return False
        if role == "admin":
            return any(g.role == "admin" and within(path, g.path) for g in self.grants)
        return table().roles[role]["rank"] <= self.max_rank_at(path)
