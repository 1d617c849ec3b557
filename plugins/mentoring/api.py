"""The block's endpoints: current pairs, mentor schools, region settings.

The core's guard answers 404 where the block is switched off (every organisation URL has
<org_id>); a region's settings check the block is on somewhere under the region.
"""

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema

from core import activation, audit
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.db import database
from core.models import Organization, OrganizationStatus
from core.schemas.base import BaseSchema
from plugins.mentoring.models import MentorPair, MentorSchoolLink
from plugins.mentoring.places import links_in
from plugins.mentoring.register import pairs_in
from plugins.mentoring.settings import settings_for

blp = Blueprint(
    "mentoring",
    __name__,
    url_prefix="/api/v1/mentoring/organizations",
    description="Наставничество",
)


class PairSchema(BaseSchema):
    id = fields.Integer()
    organization_id = fields.Integer()
    mentor_id = fields.Integer()
    mentee_id = fields.Integer()
    mentor = fields.Function(lambda p: p.mentor.full_name)
    mentee = fields.Function(lambda p: p.mentee.full_name)
    form = fields.String()
    subject = fields.String()
    start = fields.Date()
    end = fields.Date(allow_none=True)
    goal = fields.String()
    status = fields.String()


class LinkSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    mentor_school_id = fields.Integer(required=True)
    supported_school_id = fields.Integer(required=True)
    mentor_school = fields.Function(lambda link: link.mentor_school.name, dump_only=True)
    supported_school = fields.Function(lambda link: link.supported_school.name, dump_only=True)
    start = fields.Date(required=True)
    end = fields.Date(load_default=None, allow_none=True)
    goal = fields.String(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def _order(self, data, **kwargs):
        if data.get("end") and data["end"] < data["start"]:
            raise ValidationError("Дата окончания раньше даты начала.", "end")
        if data["mentor_school_id"] == data["supported_school_id"]:
            raise ValidationError(
                "Школа не может быть наставником сама себе.", "supported_school_id"
            )


class SettingsSchema(BaseSchema):
    coverage_target = fields.Integer(required=True, validate=validate.Range(min=1, max=100))
    mentee_cap = fields.Integer(required=True, validate=validate.Range(min=1, max=20))


@blp.route("/<int:org_id>/pairs")
@blp.response(200, PairSchema(many=True))
def current_pairs(org_id):
    """The current register of pairs under the organisation (from accepted registers)."""
    org = scoping.organization(org_id, "staff.read")
    return list(pairs_in([org.path]).order_by(MentorPair.id))


def _school_under(org, school_id, field):
    school = Organization.get_or_none(Organization.id == school_id)
    if school is None or school.kind != "school" or not school.path.startswith(org.path):
        raise ApiError(422, fields={field: ["Школа не найдена в этой области."]})
    return school


@blp.route("/<int:org_id>/mentor-schools")
@blp.response(200, LinkSchema(many=True))
def list_links(org_id):
    """Mentor-school links where either school lies under the organisation (or is it)."""
    org = scoping.organization(org_id)
    return list(links_in(org))


@blp.route("/<int:org_id>/mentor-schools", methods=["POST"])
@blp.arguments(LinkSchema)
@blp.response(201, LinkSchema)
def create_link(body, org_id):
    """Link a mentor school to a school with low results for a period and a goal."""
    principal = current()
    org = scoping.organization(org_id, "organization.write")
    mentor = _school_under(org, body["mentor_school_id"], "mentor_school_id")
    supported = _school_under(org, body["supported_school_id"], "supported_school_id")
    on_date = body["start"]
    low = OrganizationStatus.select().where(
        OrganizationStatus.organization == supported,
        OrganizationStatus.status == "low_results",
        OrganizationStatus.start_date <= on_date,
        OrganizationStatus.end_date.is_null() | (OrganizationStatus.end_date >= on_date),
    )
    if not low.exists():
        raise ApiError(
            422,
            fields={
                "supported_school_id": [
                    "У школы нет статуса «низкие образовательные результаты» на дату начала."
                ]
            },
        )
    far = dt.date.max
    overlap = MentorSchoolLink.select().where(
        MentorSchoolLink.mentor_school == mentor,
        MentorSchoolLink.supported_school == supported,
        MentorSchoolLink.start <= (body["end"] or far),
        MentorSchoolLink.end.is_null() | (MentorSchoolLink.end >= body["start"]),
    )
    if overlap.exists():
        raise ApiError(
            409, code="duplicate", fields={"start": ["Эта пара школ уже связана в этот период."]}
        )
    with database.atomic():
        link = MentorSchoolLink.create(
            mentor_school=mentor,
            supported_school=supported,
            start=body["start"],
            end=body["end"],
            goal=body["goal"],
            created_by=principal.user,
        )
        audit.record(
            "create",
            user=principal.user,
            object_type="mentoring_school_link",
            object_id=link.id,
            scope_path=org.path,
            after={"mentor_school_id": mentor.id, "supported_school_id": supported.id},
        )
    return link


# Settings belong to a region, which may not switch the block on itself (its
# municipalities do): no <org_id> in these URLs, the view checks the block is on below.
settings_blp = Blueprint(
    "mentoring_settings", __name__, url_prefix="/api/v1/mentoring", description="Наставничество"
)


# A region rarely switches the block on itself (its municipalities do): the guard lets
# these URLs through where the block is on somewhere under the region.
REGION = activation.on_under("region_id")


def _region(region_id, permission=None):
    org = scoping.organization(region_id, permission)
    if org.kind != "region":
        raise ApiError(422, fields={"region_id": ["Настройки задаются для региона."]})
    return org


@settings_blp.route("/regions/<int:region_id>/settings")
@REGION
@settings_blp.response(200, SettingsSchema)
def get_settings(region_id):
    return settings_for(_region(region_id))


@settings_blp.route("/regions/<int:region_id>/settings", methods=["PUT"])
@REGION
@settings_blp.arguments(SettingsSchema)
@settings_blp.response(200, SettingsSchema)
def put_settings(body, region_id):
    """The region's coverage target (70 % by default; Tomsk sets 100 %) and mentee cap."""
    principal = current()
    org = _region(region_id, "plugin.manage")
    with database.atomic():
        row = settings_for(org)
        before = {"coverage_target": row.coverage_target, "mentee_cap": row.mentee_cap}
        row.coverage_target, row.mentee_cap = body["coverage_target"], body["mentee_cap"]
        row.save()
        audit.record(
            "update",
            user=principal.user,
            object_type="mentoring_setting",
            object_id=org.id,
            scope_path=org.path,
            before=before,
            after=body,
        )
    return row
