"""Roles, permissions and the scope rule.

A user holds role grants, each on an organisation subtree.  An object
outside every subtree the user can see does not exist for them (404); an
object inside that the role may not touch is refused (403).
"""

from dataclasses import dataclass

ROLES = {
    "admin": "Администратор",
    "regional_operator": "Региональный оператор",
    "municipal_methodist": "Муниципальный методист",
    "school_coordinator": "Координатор образовательной организации",
    "expert": "Эксперт",
    "teacher": "Педагог",
}

# Who may grant what: a role can grant roles of lower or equal rank
# (the administrator role only by an administrator).
RANK = {
    "admin": 5,
    "regional_operator": 4,
    "municipal_methodist": 3,
    "school_coordinator": 2,
    "expert": 1,
    "teacher": 1,
}

PERMISSIONS = {
    "organization.read": set(ROLES),
    "organization.write": {"admin", "regional_operator", "municipal_methodist"},
    "staff.read": {"admin", "regional_operator", "municipal_methodist", "school_coordinator"},
    "staff.write": {"admin", "regional_operator", "municipal_methodist", "school_coordinator"},
    "user.read": {"admin", "regional_operator", "municipal_methodist"},
    "user.write": {"admin", "regional_operator", "municipal_methodist"},
    "plugin.manage": {"admin", "regional_operator", "municipal_methodist"},
    "audit.read": {"admin", "regional_operator"},
    # Erasing a person's data on request (152-FZ) is the operator's duty, not a school's.
    "staff.erase": {"admin", "regional_operator"},
    "import.run": {"admin", "regional_operator", "municipal_methodist"},
    # The form engine (forms/).
    "form.manage": {"admin", "regional_operator", "municipal_methodist"},
    "campaign.manage": {"admin", "regional_operator", "municipal_methodist"},
    "submission.fill": {"admin", "school_coordinator"},
    "submission.review": {"admin", "regional_operator", "municipal_methodist"},
    "audit.manage": {"admin", "regional_operator", "municipal_methodist"},
    "audit.self": {"admin", "school_coordinator"},
    "audit.expert": {"expert"},
    "webhook.manage": {"admin", "regional_operator"},
    # Exports and indicators (exports/).
    "export.run": {"admin", "regional_operator", "municipal_methodist", "school_coordinator"},
    "indicator.read": {
        "admin",
        "regional_operator",
        "municipal_methodist",
        "school_coordinator",
        "expert",
    },
}

ROOT = "/"  # the scope path of an installation-wide grant


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
        allowed = None if permission is None else PERMISSIONS[permission]
        paths = {g.path for g in self.grants if allowed is None or g.role in allowed}
        # Drop paths nested in other paths: one prefix per subtree.
        return sorted(p for p in paths if not any(o != p and within(p, o) for o in paths))

    def sees(self, path: str) -> bool:
        return any(within(path, scope) for scope in self.scopes())

    def can(self, permission: str, path: str) -> bool:
        return any(within(path, scope) for scope in self.scopes(permission))

    def max_rank_at(self, path: str) -> int:
        ranks = [RANK[g.role] for g in self.grants if within(path, g.path)]
        return max(ranks, default=0)

    def may_grant(self, role: str, path: str) -> bool:
        if not self.can("user.write", path):
            return False
        if role == "admin":
            return any(g.role == "admin" and within(path, g.path) for g in self.grants)
        return RANK[role] <= self.max_rank_at(path)
