"""Staff members: /api/v1/organizations/{id}/staff and /api/v1/staff/{id}."""

import json

from peewee import IntegrityError, fn

from core import personal_data
from core import staff as roster
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error, flatten
from core.api.pagination import page_of, paginate
from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from core.schemas.staff import (
    ErasureResultSchema,
    ErasureSchema,
    StaffPatchSchema,
    StaffQuerySchema,
    StaffSchema,
    SupportProposalSchema,
)
from core.staff import STAFF_KINDS, snapshot

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="Педагогические работники")

DUPLICATE_CODE = "Табельный номер уже есть у другого работника этой организации."


def with_derived(staff_list, year):
    """Attach age and experience for the period year (not today's date)."""
    if year is not None:
        for staff in staff_list:
            staff.age = staff.age_in(year)
            staff.experience = staff.experience_in(year)
    return staff_list


def filtered(query, args):
    """The roster's filters (the API's query and the page's form): ``position`` and
    ``subject`` match a whole value, case aside; ``under_age`` and ``experience_below``
    count in the period year ``as_of``."""
    if "active" in args:
        query = query.where(StaffMember.active == args["active"])
    if "q" in args:
        query = query.where(
            StaffMember.full_name.contains(args["q"]) | (StaffMember.code == args["q"])
        )
    if "position" in args:
        query = query.where(fn.LOWER(StaffMember.position) == args["position"].lower())
    if "subject" in args:  # a whole item of the JSON list, as stored (see JSONField)
        item = json.dumps(args["subject"], ensure_ascii=False)
        query = query.where(StaffMember.subjects.cast("text").contains(item))
    year = args.get("as_of")
    if "under_age" in args:  # age reached in the year < N
        query = query.where(StaffMember.birth_year > year - args["under_age"])
    if "experience_below" in args:  # completed years < N
        query = query.where(
            StaffMember.teaching_since.is_null(False)
            & (StaffMember.teaching_since > year - args["experience_below"])
        )
    return query


def staff_for(staff_id: int, permission: str) -> StaffMember:
    """A staff record in scope: 404 outside it; teachers see only their own record."""
    principal = current()
    staff = StaffMember.get_or_none(StaffMember.id == staff_id)
    if staff is None:
        raise ApiError(404)
    path = staff.organization.path
    if permission == "staff.read" and staff.id in principal.staff_ids:
        return staff
    if not principal.sees(path):
        raise ApiError(404)
    if not principal.can(permission, path):
        # A teacher or expert sees the organisation but not its roster.
        raise ApiError(403)
    return staff


def roster_page(org, args) -> dict:
    """One page of the roster of ``org`` (``subtree``: of every organisation under it),
    filtered, with age and experience for ``as_of``; every person shown is logged as a
    personal-data read "via list" (the API's list and the roster page alike)."""
    query = StaffMember.select(StaffMember, Organization).join(Organization)
    if args.get("subtree"):
        query = query.where(in_subtree(Organization.path, org.path))
    else:
        query = query.where(StaffMember.organization == org)
    page = paginate(filtered(query, args).order_by(StaffMember.full_name, StaffMember.id), args)
    page["items"] = with_derived(page["items"], args.get("as_of"))
    personal_data.record_reads(current().user, page["items"], via="list")
    return page


@blp.route("/organizations/<int:org_id>/staff")
@blp.arguments(StaffQuerySchema, location="query")
@blp.response(200, page_of(StaffSchema))
def list_staff(args, org_id):
    """Staff of the organisation (``subtree=true``: of every organisation under it)."""
    return roster_page(scoping.organization(org_id, "staff.read"), args)


def create_member(org, body, user) -> StaffMember:
    """Add a person (``body`` loaded by StaffSchema) to ``org``'s roster: the rule of the API
    and the page — 422 naming the organisation when it keeps no roster, 409 on a taken code."""
    if org.kind not in STAFF_KINDS:
        raise field_error(
            "organization_id", "Работники числятся в образовательных организациях и центрах."
        )
    try:
        return roster.create(org, body, user=user)
    except IntegrityError:
        raise ApiError(409, code="duplicate", fields={"code": [DUPLICATE_CODE]}) from None


def change_member(staff, body, user) -> StaffMember:
    """Apply ``body`` (loaded by StaffPatchSchema) to ``staff``, validate the merged record
    again (422 with the fields) and save it (409 on a taken code); turning ``active`` off is
    a dismissal (``staff_changed`` with "dismiss")."""
    before = snapshot(staff)
    for key, value in body.items():
        setattr(staff, key, value)
    problems = StaffSchema().validate(
        {k: v for k, v in snapshot(staff).items() if k != "organization_id"}
    )
    if problems:
        raise ApiError(422, fields=flatten(problems))
    try:
        roster.save(staff, before, user=user)
    except IntegrityError:
        raise ApiError(409, code="duplicate", fields={"code": [DUPLICATE_CODE]}) from None
    return staff


@blp.route("/organizations/<int:org_id>/staff", methods=["POST"])
@blp.arguments(StaffSchema)
@blp.response(201, StaffSchema)
def create_staff(body, org_id):
    org = scoping.organization(org_id, "staff.write")
    return create_member(org, body, current().user)


@blp.route("/staff/<int:staff_id>")
@blp.response(200, StaffSchema)
def get_staff(staff_id):
    staff = staff_for(staff_id, "staff.read")
    personal_data.record_reads(current().user, [staff], via="record")
    return staff


@blp.route("/staff/<int:staff_id>", methods=["PATCH"])
@blp.arguments(StaffPatchSchema)
@blp.response(200, StaffSchema)
def update_staff(body, staff_id):
    staff = staff_for(staff_id, "staff.write")
    return change_member(staff, body, current().user)


@blp.route("/staff/<int:staff_id>/erase", methods=["POST"])
@blp.arguments(ErasureSchema)
@blp.response(200, ErasureResultSchema)
def erase_staff(body, staff_id):
    """Erase the person's data on request (152-FZ): name, personnel code and free text are
    cleared, linked accounts closed; the anonymised row keeps the regional figures right.
    The answer carries the audit log's extract about the record as the proof."""
    principal = current()
    staff = staff_for(staff_id, "staff.read")
    if not principal.can("staff.erase", staff.organization.path):
        raise ApiError(403)
    result = personal_data.erase(staff, reason=body["reason"], user=principal.user)
    return {**result, "audit_extract": personal_data.extract(staff.id)}


@blp.route("/staff/<int:staff_id>/support-proposals", methods=["POST"])
@blp.arguments(SupportProposalSchema)
@blp.response(201, SupportProposalSchema)
def accept_support_proposal(body, staff_id):
    """Accept a proposal of support (a mentor, a course...): blocks react through the
    ``support_proposal_accepted`` hook — mentoring drafts a pair for the school to confirm."""
    principal = current()
    staff = staff_for(staff_id, "staff.read")
    if not principal.can("campaign.manage", staff.organization.path):
        raise ApiError(403)
    supporter = StaffMember.get_or_none(StaffMember.id == body["supporter_id"])
    if (
        supporter is None
        or not supporter.active
        or supporter.organization.region_id != staff.organization.region_id
    ):
        raise field_error("supporter_id", "Работник не найден в регионе.")
    if supporter.id == staff.id:
        raise field_error("supporter_id", "Нельзя поддерживать самого себя.")
    roster.accept_support_proposal(
        staff,
        supporter,
        kind=body["kind"],
        reason=body["reason"],
        user=principal.user,
        details=body,
    )
    return body
