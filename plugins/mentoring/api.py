"""The block's endpoints: current pairs and mentor schools (its region settings are the
core's: /api/v1/organizations/{region_id}/settings/mentoring).

The core's guard answers 404 where the block is switched off (every organisation URL has
<org_id>); a region's settings check the block is on somewhere under the region.
"""

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema

from core import audit
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


@blp.route("/<int:org_id>/pairs")
@blp.response(200, PairSchema(many=True))
def current_pairs(org_id):
    """The current register of pairs under the organisation (from accepted registers)."""
    org = scoping.organization(org_id, "mentoring.pairs.read")
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
    org = scoping.organization(org_id, "mentoring.schools.manage")
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
