"""The region's catalogues changed by its regional operator: deficit topics (add, rename,
archive) and courses (add, edit), each change audited.  The API and the pages both call
these; a refusal is an ``ApiError`` naming the field, with the message in Russian."""

from core import audit
from core.api.auth import current
from core.api.errors import ApiError, field_error
from core.db import database
from core.models import Organization
from plugins.diagnostics.models import Course, Deficit
from plugins.diagnostics.personal import NAME
from plugins.diagnostics.settings import deficits_of

# Who changes the catalogues (the API checks the same permission).
EDIT_PERMISSION = "diagnostics.catalogue.manage"


def region_for(region_id, permission=None) -> Organization:
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


def log(action, org, object_type, object_id, before=None, after=None):
    audit.record(
        action,
        user=current().user,
        object_type=object_type,
        object_id=object_id,
        scope_path=org.path,
        before=before,
        after=after,
    )


def check_deficit_ids(region, ids):
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


def refuse_duplicate(org, area, title, own_id=None):
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


def add_deficit(org, values: dict) -> Deficit:
    deficits_of(org.id)
    refuse_duplicate(org, values["area"], values["title"])
    with database.atomic():
        deficit = Deficit.create(region=org, **values)
        log("create", org, "diagnostics_deficit", deficit.id, after=values)
    return deficit


def find_deficit(org, deficit_id) -> Deficit:
    deficit = Deficit.get_or_none(Deficit.id == deficit_id, Deficit.region == org)
    if deficit is None:
        raise ApiError(404)
    return deficit


def change_deficit(org, deficit: Deficit, changes: dict) -> Deficit:
    """Rename or archive a topic; archived topics stay on the results that found them."""
    if "title" in changes:
        refuse_duplicate(org, deficit.area, changes["title"], deficit.id)
    before = {k: getattr(deficit, k) for k in changes}
    with database.atomic():
        for key, value in changes.items():
            setattr(deficit, key, value)
        deficit.save()
        log("update", org, "diagnostics_deficit", deficit.id, before=before, after=changes)
    return deficit


def add_course(org, values: dict) -> Course:
    values["deficits"] = check_deficit_ids(org, values.get("deficits") or [])
    with database.atomic():
        course = Course.create(region=org, **values)
        log("create", org, "diagnostics_course", course.id, after=values)
    return course


def find_course(org, course_id) -> Course:
    course = Course.get_or_none(Course.id == course_id, Course.region == org)
    if course is None:
        raise ApiError(404)
    return course


def change_course(org, course: Course, changes: dict) -> Course:
    if "deficits" in changes:
        changes["deficits"] = check_deficit_ids(org, changes["deficits"])
    before = {k: getattr(course, k) for k in changes}
    with database.atomic():
        for key, value in changes.items():
            setattr(course, key, value)
        course.save()
        log("update", org, "diagnostics_course", course.id, before=before, after=changes)
    return course
