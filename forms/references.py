"""Which staff and organisation ids a submission may reference (one query per kind)."""

from core.models import Organization, StaffMember
from core.models.organization import in_subtree


def checker(org):
    """A callable for forms.rules: the (type, allow_other, id) triples that are valid."""

    def known(wanted):
        valid = set()
        staff_ids = {value for _, field, value in wanted if field["type"] == "staff"}
        org_ids = {value for _, field, value in wanted if field["type"] == "organization"}
        if staff_ids:
            rows = (
                StaffMember.select(StaffMember.id, Organization.path)
                .join(Organization)
                .where(StaffMember.id.in_(list(staff_ids)), Organization.region_id == org.region_id)
                .tuples()
            )
            for staff_id, path in rows:
                valid.add(("staff", True, staff_id))
                if path.startswith(org.path):  # the organisation's own (or its subtree's)
                    valid.add(("staff", False, staff_id))
        if org_ids:
            rows = Organization.select(Organization.id).where(
                Organization.id.in_(list(org_ids)), Organization.region_id == org.region_id
            )
            for (org_id,) in rows.tuples():
                valid.update({("organization", False, org_id), ("organization", True, org_id)})
        return valid

    return known


def staff_options(org):
    """(id, name) of the active staff of ``org`` and its subtree, for select inputs."""
    rows = (
        StaffMember.select(StaffMember.id, StaffMember.full_name)
        .join(Organization)
        .where(in_subtree(Organization.path, org.path), StaffMember.active == True)  # noqa: E712
        .order_by(StaffMember.full_name)
        .tuples()
    )
    return list(rows)
