"""The growth profile of a person: GET /api/v1/staff/{id}/profile (and the portfolio)."""

import os

from flask import after_this_request, send_file
from marshmallow import fields

from core import personal_data
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.staff import staff_for
from core.plugin_access import registry
from core.profile import build
from core.schemas.base import BaseSchema
from core.schemas.staff import StaffSchema

blp = Blueprint(
    "profile", __name__, url_prefix="/api/v1", description="Профиль профессионального роста"
)


class CodeLabelSchema(BaseSchema):
    value = fields.String(metadata={"description": "The stored code."})
    label = fields.String(metadata={"description": "Its Russian label."})


class ActivitySchema(BaseSchema):
    id = fields.Integer()
    block = fields.String()
    kind = fields.Nested(CodeLabelSchema)
    role = fields.Nested(CodeLabelSchema)
    level = fields.Nested(CodeLabelSchema)
    title = fields.String()
    result = fields.Nested(CodeLabelSchema, allow_none=True)
    date = fields.Date()
    end_date = fields.Date(allow_none=True)
    hours = fields.Float(allow_none=True)
    evidence = fields.String()
    cancelled = fields.Boolean()


class ProfileItemSchema(BaseSchema):
    label = fields.String()
    value = fields.Raw(allow_none=True)
    date = fields.String(allow_none=True)
    href = fields.String(allow_none=True)


class ProfileSectionSchema(BaseSchema):
    block = fields.String()
    code = fields.String()
    title = fields.String()
    items = fields.List(fields.Nested(ProfileItemSchema))


class ProfileOrganizationSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class ProfileSchema(BaseSchema):
    staff = fields.Nested(StaffSchema)
    organization = fields.Nested(ProfileOrganizationSchema)
    category = fields.Nested(CodeLabelSchema)
    activities = fields.List(fields.Nested(ActivitySchema))
    sections = fields.List(fields.Nested(ProfileSectionSchema))


def profile_of(staff_id: int) -> dict:
    """The profile the caller may read, the read logged: the one rule of the API and the
    profile page (seen as the staff record is: 404 outside the caller's scope, 403 inside
    without the right, a teacher only themselves)."""
    principal = current()
    staff = staff_for(staff_id, "staff.read")
    personal_data.record_reads(principal.user, [staff], via="profile")
    return build(staff, principal)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def portfolio_file(staff_id: int):
    """«Портфолио педагога» of one person as an xlsx download, seen as the staff record is
    and logged as an export of personal data at their organisation (the API and the page)."""
    from exports.context import ExportContext
    from exports.portfolio import for_person
    from exports.running import produce, temporary_path

    principal = current()
    staff = staff_for(staff_id, "staff.read")
    declaration = for_person(staff)
    ctx = ExportContext(scope=staff.organization, user=principal.user)
    path = temporary_path()

    @after_this_request
    def _cleanup(response):
        response.call_on_close(lambda: os.path.exists(path) and os.remove(path))
        return response

    produce(declaration, ctx, path, registry())
    return send_file(
        path, mimetype=XLSX, as_attachment=True, download_name=f"portfolio-{staff.id}.xlsx"
    )


@blp.route("/staff/<int:staff_id>/profile")
@blp.response(200, ProfileSchema)
def get_profile(staff_id):
    """The person's card, every activity (oldest first, cancelled ones flagged) and what
    the blocks on at their organisation contribute; seen as the staff record is (teachers
    only themselves) and logged as one personal-data read."""
    return profile_of(staff_id)


@blp.route("/staff/<int:staff_id>/portfolio")
@blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
def get_portfolio(staff_id):
    """«Портфолио педагога» of one person (the export ``teacher_portfolio`` lists the people
    of a scope): their activities by attestation track, logged as an export of personal
    data at their organisation."""
    return portfolio_file(staff_id)
