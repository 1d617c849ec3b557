"""The region's catalogues: deficit topics and courses (its settings, thresholds and load
cap, are the core's: /api/v1/organizations/{region_id}/settings/diagnostics).

Read by anyone who sees the region; changed by its regional operator (or an administrator).
"""

from core import activation
from core.api.blueprint import Blueprint
from plugins.diagnostics import catalogue_edits as edits
from plugins.diagnostics.api.schemas import (
    CoursePatchSchema,
    CourseSchema,
    DeficitPatchSchema,
    DeficitSchema,
)
from plugins.diagnostics.models import Course
from plugins.diagnostics.settings import deficits_of

# A region rarely switches the block on itself (its municipalities do): the guard lets
# these URLs through where the block is on somewhere under the region.
CATALOGUE = activation.on_under("region_id")

blp = Blueprint(
    "diagnostics_catalogue",
    __name__,
    url_prefix="/api/v1/diagnostics/regions",
    description="Диагностика: каталоги и настройки региона",
)


def _region(region_id, permission=None):
    return edits.region_for(region_id, permission)


_log = edits.log


@blp.route("/<int:region_id>/deficits")
@CATALOGUE
@blp.response(200, DeficitSchema(many=True))
def list_deficits(region_id):
    """The deficit catalogue by competence area (the shipped defaults until edited)."""
    return list(deficits_of(_region(region_id).id))


@blp.route("/<int:region_id>/deficits", methods=["POST"])
@CATALOGUE
@blp.arguments(DeficitSchema)
@blp.response(201, DeficitSchema)
def create_deficit(body, region_id):
    return edits.add_deficit(_region(region_id, edits.EDIT_PERMISSION), body)


def _deficit(org, deficit_id):
    return edits.find_deficit(org, deficit_id)


@blp.route("/<int:region_id>/deficits/<int:deficit_id>", methods=["PATCH"])
@CATALOGUE
@blp.arguments(DeficitPatchSchema)
@blp.response(200, DeficitSchema)
def update_deficit(body, region_id, deficit_id):
    """Rename or archive a topic; archived topics stay on the results that found them."""
    org = _region(region_id, edits.EDIT_PERMISSION)
    deficit = edits.change_deficit(org, _deficit(org, deficit_id), body)
    return deficit


@blp.route("/<int:region_id>/courses")
@CATALOGUE
@blp.response(200, CourseSchema(many=True))
def list_courses(region_id):
    """Further-education programmes the region offers, marked if in the federal register."""
    org = _region(region_id)
    return list(Course.select().where(Course.region == org).order_by(Course.title, Course.id))


@blp.route("/<int:region_id>/courses", methods=["POST"])
@CATALOGUE
@blp.arguments(CourseSchema)
@blp.response(201, CourseSchema)
def create_course(body, region_id):
    return edits.add_course(_region(region_id, edits.EDIT_PERMISSION), body)


@blp.route("/<int:region_id>/courses/<int:course_id>", methods=["PATCH"])
@CATALOGUE
@blp.arguments(CoursePatchSchema)
@blp.response(200, CourseSchema)
def update_course(body, region_id, course_id):
    org = _region(region_id, edits.EDIT_PERMISSION)
    return edits.change_course(org, edits.find_course(org, course_id), body)
