"""Organisations and their statuses: /api/v1/organizations."""

from core import clock, organization_statuses, organizations
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error
from core.api.pagination import page_of, paginate
from core.models import Organization, OrganizationStatus
from core.schemas.organization import (
    OrganizationQuerySchema,
    OrganizationSchema,
    OrganizationUpdateSchema,
    StatusSchema,
)

blp = Blueprint(
    "organizations", __name__, url_prefix="/api/v1/organizations", description="Организации"
)


def _current_status_filter(today):
    return (OrganizationStatus.start_date <= today) & (
        OrganizationStatus.end_date.is_null() | (OrganizationStatus.end_date >= today)
    )


def with_statuses(orgs):
    """Attach the statuses in force today (one query for the whole page)."""
    orgs = list(orgs)
    if not orgs:
        return orgs
    today = clock.today(orgs[0])  # one region's day for the page (its zone)
    by_org = {org.id: [] for org in orgs}
    for row in OrganizationStatus.select().where(
        OrganizationStatus.organization.in_(list(by_org)), _current_status_filter(today)
    ):
        by_org[row.organization_id].append(row)
    for org in orgs:
        org.prefetched_statuses = by_org[org.id]
    return orgs


def _tree_error(error: organizations.TreeError):
    status = 409 if error.field == "code" else 422
    return ApiError(status, "Проверьте введённые данные.", fields={error.field: [error.message]})


@blp.route("")
@blp.arguments(OrganizationQuerySchema, location="query")
@blp.response(200, page_of(OrganizationSchema))
def list_organizations(args):
    """Organisations in the caller's scope, filtered by parent, kind, status, text."""
    principal = current()
    query = Organization.select().where(
        scoping.in_scopes(Organization.path, principal.scopes("organization.read"))
    )
    if "parent" in args:
        query = query.where(Organization.parent == args["parent"])
    if "kind" in args:
        query = query.where(Organization.kind == args["kind"])
    if "active" in args:
        query = query.where(Organization.active == args["active"])
    if "q" in args:
        text = args["q"]
        query = query.where(
            Organization.name.contains(text)
            | Organization.short_name.contains(text)
            | (Organization.code == text)
        )
    if "status" in args:
        holders = OrganizationStatus.select(OrganizationStatus.organization).where(
            OrganizationStatus.status == args["status"], _current_status_filter(clock.today(None))
        )
        query = query.where(Organization.id.in_(holders))
    page = paginate(query.order_by(Organization.path), args)
    page["items"] = with_statuses(page["items"])
    return page


@blp.route("", methods=["POST"])
@blp.arguments(OrganizationSchema)
@blp.response(201, OrganizationSchema)
def create_organization(body):
    principal = current()
    if not principal.scopes("organization.write"):
        raise ApiError(403)
    parent = None
    if body["parent_id"] is not None:
        parent = Organization.get_or_none(Organization.id == body["parent_id"])
        if parent is None or not principal.sees(parent.path):
            raise field_error("parent_id", "Вышестоящая организация не найдена.")
        scoping.require("organization.write", parent.path)
    else:
        scoping.require("organization.write", "/")
    try:
        org = organizations.add(
            user=principal.user,
            kind=body["kind"],
            name=body["name"],
            short_name=body["short_name"],
            code=body["code"],
            parent=parent,
            active=body["active"],
        )
    except organizations.TreeError as error:
        raise _tree_error(error) from None
    return with_statuses([org])[0]


@blp.route("/<int:org_id>")
@blp.response(200, OrganizationSchema)
def get_organization(org_id):
    return with_statuses([scoping.organization(org_id)])[0]


@blp.route("/<int:org_id>", methods=["PATCH"])
@blp.arguments(OrganizationUpdateSchema)
@blp.response(200, OrganizationSchema)
def update_organization(body, org_id):
    principal = current()
    org = scoping.organization(org_id, "organization.write")
    parent = None
    if "parent_id" in body and body["parent_id"] != org.parent_id:
        parent = Organization.get_or_none(Organization.id == body["parent_id"])
        if parent is None or not principal.sees(parent.path):
            raise field_error("parent_id", "Вышестоящая организация не найдена.")
        scoping.require("organization.write", parent.path)
    try:
        organizations.update(org, body, user=principal.user, parent=parent)
    except organizations.TreeError as error:
        raise _tree_error(error) from None
    return with_statuses([org])[0]


@blp.route("/<int:org_id>/statuses")
@blp.response(200, StatusSchema(many=True))
def list_statuses(org_id):
    """Every status of the organisation, past, current and planned."""
    org = scoping.organization(org_id)
    return list(org.statuses.order_by(OrganizationStatus.start_date))


@blp.route("/<int:org_id>/statuses", methods=["POST"])
@blp.arguments(StatusSchema)
@blp.response(201, StatusSchema)
def add_status(body, org_id):
    principal = current()
    org = scoping.organization(org_id, "organization.write")
    try:
        row = organization_statuses.add(org, user=principal.user, **body)
    except organization_statuses.StatusOverlap as error:
        raise ApiError(
            409,
            "Проверьте введённые данные.",
            code="duplicate",
            fields={error.field: [error.message]},
        ) from None
    except organizations.TreeError as error:
        raise field_error(error.field, error.message) from None
    return row


@blp.route("/<int:org_id>/statuses/<int:status_id>", methods=["DELETE"])
@blp.response(204)
def delete_status(org_id, status_id):
    principal = current()
    org = scoping.organization(org_id, "organization.write")
    row = OrganizationStatus.get_or_none(
        OrganizationStatus.id == status_id, OrganizationStatus.organization == org
    )
    if row is None:
        raise ApiError(404)
    organization_statuses.remove(org, row, user=principal.user)
