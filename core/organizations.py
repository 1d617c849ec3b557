"""Organisation tree operations shared by the API, imports and the demo."""

from peewee import IntegrityError, Value, fn

from core import audit, clock, events
from core.db import database
from core.models import Organization
from core.models.organization import ACTIVATION_KINDS, ALLOWED_PARENTS, KINDS, in_subtree

CODE_TAKEN = "Код уже используется в этом регионе."


class TreeError(ValueError):
    """A change that would break the tree; ``field`` names the culprit."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def check_placement(kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            raise TreeError("parent_id", f"Для типа «{KINDS[kind]}» нужна вышестоящая организация.")
        names = ", ".join(KINDS[k] for k in allowed if k)
        raise TreeError(
            "parent_id",
            f"«{KINDS[kind]}» не может входить в «{KINDS[parent.kind]}»; допустимо: {names}.",
        )


def by_code(code: str) -> Organization:
    """The organisation with ``code``; codes are unique within a region, so a code found in
    several regions is ambiguous.  Raises LookupError with a Russian message."""
    matches = list(Organization.select().where(Organization.code == code))
    if not matches:
        raise LookupError(f"организация с кодом {code!r} не найдена")
    if len(matches) > 1:
        regions = ", ".join(str(m.region_id) for m in matches)
        raise LookupError(
            f"код {code!r} есть в нескольких регионах ({regions}); укажите код региона"
        )
    return matches[0]


def region_of(parent: Organization | None) -> int | None:
    return parent.region_id if parent else None


def code_taken(region_id: int | None, code: str, exclude_id: int | None = None) -> bool:
    if region_id is None:  # a new region: codes of regions are unique among regions
        query = Organization.select().where(
            Organization.parent.is_null(), Organization.code == code
        )
    else:
        query = Organization.select().where(
            Organization.region_id == region_id, Organization.code == code
        )
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    return query.exists()


def create(*, kind, name, code, parent=None, short_name="", active=True) -> Organization:
    """Insert an organisation and give it its path; call inside a transaction."""
    check_placement(kind, parent)
    if code_taken(region_of(parent), code):
        raise TreeError("code", CODE_TAKEN)
    try:
        with database.atomic():  # a savepoint: PostgreSQL's transaction stays usable
            org = Organization.create(
                kind=kind,
                name=name,
                short_name=short_name,
                code=code,
                parent=parent,
                active=active,
                region_id=region_of(parent),
                path="",
            )
    except IntegrityError:  # a parallel request took the code after the check above
        raise TreeError("code", CODE_TAKEN) from None
    org.path = (parent.path if parent else "/") + f"{org.id}/"
    org.region_id = org.region_id or org.id
    org.save()
    return org


def add(*, user, audit_action="create", **fields) -> Organization:
    """Create an organisation as a person or an import does: the row, its audit entry, and
    ``organization_created`` for the blocks once the outermost transaction commits."""
    with events.collecting(), database.atomic():
        org = create(**fields)
        audit.record(
            audit_action,
            user=user,
            object_type="organization",
            object_id=org.id,
            scope_path=org.path,
            after=snapshot(org),
        )
        events.after_commit("organization_created", organization=org, user=user)
    return org


def move(org: Organization, new_parent: Organization) -> None:
    """Re-parent ``org`` and rewrite the paths of its whole subtree."""
    check_placement(org.kind, new_parent)
    if new_parent.path.startswith(org.path):
        raise TreeError("parent_id", "Нельзя перенести организацию внутрь неё самой.")
    if new_parent.region_id != org.region_id:
        raise TreeError("parent_id", "Перенос между регионами не поддерживается.")
    old_prefix, new_prefix = org.path, new_parent.path + f"{org.id}/"
    (
        Organization.update(
            path=Value(new_prefix).concat(fn.SUBSTR(Organization.path, len(old_prefix) + 1))
        )
        .where(in_subtree(Organization.path, old_prefix))
        .execute()
    )
    org.parent, org.path = new_parent, new_prefix
    org.save()


def set_time_zone(org: Organization, name: str | None) -> None:
    """Give a region, hub or municipality its own IANA zone (None: its parent's)."""
    if name is not None and org.kind not in ACTIVATION_KINDS:
        raise TreeError(
            "time_zone",
            "Часовой пояс задаётся региону, межмуниципальному центру или муниципалитету.",
        )
    if name is not None and not clock.valid_zone(name):
        raise TreeError(
            "time_zone", "Неизвестный часовой пояс: укажите имя IANA, например Asia/Tomsk."
        )
    org.time_zone = name


def snapshot(org: Organization) -> dict:
    """The fields the audit log records."""
    return {
        "parent_id": org.parent_id,
        "kind": org.kind,
        "name": org.name,
        "short_name": org.short_name,
        "code": org.code,
        "active": org.active,
        "time_zone": org.time_zone,
    }


def update(org: Organization, changes: dict, *, user, parent: Organization | None = None) -> None:
    """Change ``org`` as a person does (the API's PATCH, the edit and close pages): moves it
    under ``parent`` if given, checks the code, stores and audits what changed.  The caller
    has checked the person may write here (and at the new parent)."""
    before = snapshot(org)
    with database.atomic():
        if parent is not None and parent.id != org.parent_id:
            move(org, parent)
        if "code" in changes and changes["code"] != org.code:
            if code_taken(org.region_id, changes["code"], exclude_id=org.id):
                raise TreeError("code", "Код уже используется в этом регионе.")
            org.code = changes["code"]
        if "time_zone" in changes:
            set_time_zone(org, changes["time_zone"])
        for key in ("name", "short_name", "active"):
            if key in changes:
                setattr(org, key, changes[key])
        org.save()
        old, new = audit.changes(before, snapshot(org))
        if new:
            audit.record(
                "update",
                user=user,
                object_type="organization",
                object_id=org.id,
                scope_path=org.path,
                before=old,
                after=new,
            )
