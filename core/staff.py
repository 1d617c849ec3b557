"""Staff roster helpers shared by the API and imports."""

from core.models.organization import EDUCATIONAL_KINDS

# Where pedagogical workers are on the roster.
STAFF_KINDS = EDUCATIONAL_KINDS + ("methodical_centre",)

FIELDS = (
    "code",
    "full_name",
    "position",
    "subjects",
    "birth_year",
    "teaching_since",
    "category",
    "is_management",
    "associations",
    "active",
)


def snapshot(staff) -> dict:
    """The fields the audit log records."""
    return {"organization_id": staff.organization_id, **{k: getattr(staff, k) for k in FIELDS}}
