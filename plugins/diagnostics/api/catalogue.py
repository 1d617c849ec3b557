"""The region's catalogues: deficit topics and courses (its settings, thresholds and load
cap, are the core's: /api/v1/organizations/{region_id}/settings/diagnostics).

Read by anyone who sees the region; changed by its regional operator (or an administrator).
"""

from core import audit
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError, field_error
from core.db import database
from core.models import Organization
from plugins.diagnostics.api.schemas import (
    CoursePatchSchema,
    CourseSchema,
    DeficitPatchSchema,
    DeficitSchema,
)
from plugins.diagnostics.models import Course, Deficit
from plugins.diagnostics.personal import NAME
from plugins.diagnostics.settings import deficits_of

blp = Blueprint(
    "diagnostics_catalogue",
    __name__,
    url_prefix="/api/v1/diagnostics/regions",
    description="Диагностика: каталоги и настройки региона",
)


def _region(region_id, permission=None):
    """A region where the block is on somewhere (its municipalities switch it on)."""
    from exports.registry import enabled_paths

    org = Organization.get_or_none(Organization.id == region_id)
    principal = current()
    # Whoever works inside the region reads its catalogues (a school included).
    if org is None or not any(
        org.path.startswith(scope) or scope.startswith(org.path) for scope in principal.scopes()
    ):
        raise ApiError(404)
    if permission and not principal.can(permission, org.path):
        raise ApiError(403)
    if org.kind != "region":
        raise field_error("region_id", "Каталоги и настройки ведёт регион.")
    if not enabled_paths(org, NAME):
        raise ApiError(404)
    return org


def _log(action, org, object_type, object_id, before=None, after=None):
    audit.record(
        action,
        user=current().user,
        object_type=object_type,
        object_id=object_id,
        scope_path=org.path,
        before=before,
        after=after,
    )


def _check_deficit_ids(region, ids):
    deficits_of(region.id)
    known = {
        i
        for (i,) in Deficit.select(Deficit.id)
        .where(Deficit.region == region, Deficit.id.in_(ids or [0]))
        .tuples()
    }
    for deficit_id in ids:
        if deficit_id not in known:
            raise field_error("deficits", f"Дефицит {deficit_id} не найден в каталоге региона.")
    return list(dict.fromkeys(ids))


def _refuse_duplicate(org, area, title, own_id=None):
    same = Deficit.select().where(
        Deficit.region == org,
        Deficit.area == area,
        Deficit.title == title,
        Deficit.id != (own_id or 0),
    )
    if same.exists():
        raise ApiError(
            409, code="duplicate", fields={"title": ["Такой дефицит уже есть в каталоге."]}
        )


@blp.route("/<int:region_id>/deficits")
@blp.response(200, DeficitSchema(many=True))
def list_deficits(region_id):
    """The deficit catalogue by competence area (the shipped defaults until edited)."""
    return list(deficits_of(_region(region_id).id))


@blp.route("/<int:region_id>/deficits", methods=["POST"])
@blp.arguments(DeficitSchema)
@blp.response(201, DeficitSchema)
def create_deficit(body, region_id):
    org = _region(region_id, "diagnostics.catalogue.manage")
    deficits_of(org.id)
    _refuse_duplicate(org, body["area"], body["title"])
    with database.atomic():
        deficit = Deficit.create(region=org, **body)
        _log("create", org, "diagnostics_deficit", deficit.id, after=body)
    return deficit


def _deficit(org, deficit_id):
    deficit = Deficit.get_or_none(Deficit.id == deficit_id, Deficit.region == org)
    if deficit is None:
        raise ApiError(404)
    return deficit


@blp.route("/<int:region_id>/deficits/<int:deficit_id>", methods=["PATCH"])
@blp.arguments(DeficitPatchSchema)
@blp.response(200, DeficitSchema)
def update_deficit(body, region_id, deficit_id):
    """Rename or archive a topic; archived topics stay on the results that found them."""
    org = _region(region_id, "diagnostics.catalogue.manage")
    deficit = _deficit(org, deficit_id)
    if "title" in body:
        _refuse_duplicate(org, deficit.area, body["title"], deficit.id)
    before = {k: getattr(deficit, k) for k in body}
    with database.atomic():
        for key, value in body.items():
            setattr(deficit, key, value)
        deficit.save()
        _log("update", org, "diagnostics_deficit", deficit.id, before=before, after=body)
    return deficit


@blp.route("/<int:region_id>/courses")
@blp.response(200, CourseSchema(many=True))
def list_courses(region_id):
    """Further-education programmes the region offers, marked if in the federal register."""
    org = _region(region_id)
    return list(Course.select().where(Course.region == org).order_by(Course.title, Course.id))


@blp.route("/<int:region_id>/courses", methods=["POST"])
@blp.arguments(CourseSchema)
@blp.response(201, CourseSchema)
def create_course(body, region_id):
    org = _region(region_id, "diagnostics.catalogue.manage")
    body["deficits"] = _check_deficit_ids(org, body.get("deficits") or [])
    with database.atomic():
        course = Course.create(region=org, **body)
        _log("create", org, "diagnostics_course", course.id, after=body)
    return course


@blp.route("/<int:region_id>/courses/<int:course_id>", methods=["PATCH"])
@blp.arguments(CoursePatchSchema)
@blp.response(200, CourseSchema)
def update_course(body, region_id, course_id):
    org = _region(region_id, "diagnostics.catalogue.manage")
    course = Course.get_or_none(Course.id == course_id, Course.region == org)
    if course is None:
        raise ApiError(404)
    if "deficits" in body:
        body["deficits"] = _check_deficit_ids(org, body["deficits"])
    before = {k: getattr(course, k) for k in body}
    with database.atomic():
        for key, value in body.items():
            setattr(course, key, value)
        course.save()
        _log("update", org, "diagnostics_course", course.id, before=before, after=body)
    return course
