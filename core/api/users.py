"""Users and role grants: /api/v1/users."""

from flask import current_app

from core import user_admin, users
from core.access import ROOT, role_title, within
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.api.pagination import page_of, paginate
from core.models import Organization, RoleGrant, StaffMember, User
from core.schemas.user import GrantSchema, UserQuerySchema, UserSchema, UserUpdateSchema

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Пользователи и роли")


def visible_user(user_id: int) -> User:
    """The user if the caller may read users where the target holds a role (or is the caller)."""
    principal = current()
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise ApiError(404)
    if user.id == principal.user.id:
        return user
    paths = [users.grant_path(g) for g in user.grants]
    if ROOT in principal.scopes("user.read"):
        return user
    if not paths or not any(principal.can("user.read", p) for p in paths):
        raise ApiError(404)
    return user


SHOWN = ("id", "login", "full_name", "email", "active", "created_at")


def shown(user: User) -> dict:
    """The user as the caller may see them: grants outside the caller's scope are left out
    (one's own are all shown)."""
    principal = current()
    grants = list(user.grants)
    if user.id != principal.user.id:
        scopes = principal.scopes("user.read")
        grants = [g for g in grants if any(within(users.grant_path(g), s) for s in scopes)]
    return {**{key: getattr(user, key) for key in SHOWN}, "grants": grants}


def may_manage(user: User) -> bool:
    """The caller could grant every role the target holds, so may change the account."""
    principal = current()
    grants = list(user.grants)
    if not grants:
        return ROOT in principal.scopes("user.write")
    return all(principal.may_grant(g.role, users.grant_path(g)) for g in grants)


def resolve_grant(body: dict, field: str) -> dict:
    """Check one requested grant; return the RoleGrant's keyword arguments."""
    principal = current()
    role, scope_id, staff_id = body["role"], body["scope_id"], body.get("staff_id")
    scope = None
    if scope_id is None:
        if role != "admin":
            raise ApiError(422, fields={f"{field}.scope_id": ["Укажите область действия роли."]})
        path = ROOT
    else:
        scope = Organization.get_or_none(Organization.id == scope_id)
        if scope is None or not principal.sees(scope.path):
            raise ApiError(422, fields={f"{field}.scope_id": ["Организация не найдена."]})
        path = scope.path
    staff = None
    if role == "teacher":
        staff = StaffMember.get_or_none(StaffMember.id == staff_id) if staff_id else None
        if staff is None or staff.organization_id != scope_id:
            raise ApiError(
                422,
                fields={
                    f"{field}.staff_id": ["Для роли «Педагог» укажите работника этой организации."]
                },
            )
    elif staff_id is not None:
        raise ApiError(
            422, fields={f"{field}.staff_id": ["Работник указывается только для роли «Педагог»."]}
        )
    if not principal.may_grant(role, path):
        raise ApiError(
            403, f"Недостаточно прав, чтобы выдать роль «{role_title(role)}» в этой области."
        )
    return {"role": role, "scope": scope, "staff": staff}


def _account_error(error: users.AccountError):
    status = 409 if error.field == "login" else 422
    return ApiError(status, fields={error.field: [error.message]})


@blp.route("")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, page_of(UserSchema))
def list_users(args):
    principal = current()
    scopes = principal.scopes("user.read")
    if not scopes:
        raise ApiError(403)
    target = scoping.organization(args["scope"]) if "scope" in args else None
    query = user_admin.visible_users(principal, args.get("role"), target, args.get("q"))
    page = paginate(query.order_by(User.login), args)
    page["items"] = [shown(user) for user in page["items"]]
    return page


@blp.route("", methods=["POST"])
@blp.arguments(UserSchema)
@blp.response(201, UserSchema)
def create_user(body):
    principal = current()
    if not principal.scopes("user.write"):
        raise ApiError(403)
    if not body["grants"]:
        raise ApiError(422, fields={"grants": ["Укажите хотя бы одну роль."]})
    grants = [resolve_grant(g, f"grants.{i}") for i, g in enumerate(body["grants"])]
    try:
        user = user_admin.create_account(
            principal.user,
            login=body["login"],
            password=body["password"],
            full_name=body["full_name"],
            email=body["email"],
            active=body["active"],
            grants=grants,
        )
    except users.AccountError as error:
        raise _account_error(error) from None
    return shown(user)


@blp.route("/<int:user_id>")
@blp.response(200, UserSchema)
def get_user(user_id):
    return shown(visible_user(user_id))


@blp.route("/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(body, user_id):
    principal = current()
    user = visible_user(user_id)
    own = user.id == principal.user.id
    if not own and not may_manage(user):
        raise ApiError(403)
    if own and "active" in body:
        raise ApiError(403, "Нельзя изменить активность своей учётной записи.")
    try:
        if own and "password" in body:
            check_current_password(user, body.get("current_password"))
        user_admin.update_account(principal.user, user, body)
    except users.AccountError as error:
        raise _account_error(error) from None
    return shown(user)


@blp.route("/<int:user_id>/grants", methods=["POST"])
@blp.arguments(GrantSchema)
@blp.response(201, GrantSchema)
def add_grant(body, user_id):
    principal = current()
    user = visible_user(user_id)
    check_grants_change(user)
    kwargs = resolve_grant(body, "grant")
    row = user_admin.add_grant(principal.user, user, kwargs)
    return row


@blp.route("/<int:user_id>/grants/<int:grant_id>", methods=["DELETE"])
@blp.response(204)
def remove_grant(user_id, grant_id):
    principal = current()
    user = visible_user(user_id)
    row = RoleGrant.get_or_none(RoleGrant.id == grant_id, RoleGrant.user == user)
    if row is None:
        raise ApiError(404)
    check_grants_change(user)
    if not principal.may_grant(row.role, users.grant_path(row)):
        raise ApiError(403)
    user_admin.revoke_grant(principal.user, user, row)


def check_grants_change(user) -> None:
    """The rule of every change of an account's roles, for the API and the pages alike:
    nobody grants (or revokes) their own roles, and only one who may manage the whole
    account (so no one below an administrator for an administrator) changes them."""
    if user.id == current().user.id:
        raise ApiError(403, "Нельзя выдать роль самому себе.")
    if not may_manage(user):
        raise ApiError(403)


def check_current_password(user, password) -> None:
    """Changing one's own password needs the current one (a wrong one counts as a failed
    sign-in); raises ``users.AccountError`` naming ``current_password``."""
    cfg = current_app.config
    limits = (cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])
    users.check_current_password(user, password, limits)
