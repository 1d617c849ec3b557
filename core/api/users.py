"""Users and role grants: /api/v1/users."""

from core import user_admin, users
from core.access import ROOT, role_title
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
    return paginate(query.order_by(User.login), args)


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
    return user


@blp.route("/<int:user_id>")
@blp.response(200, UserSchema)
def get_user(user_id):
    return visible_user(user_id)


@blp.route("/<int:user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def update_user(body, user_id):
    principal = current()
    user = visible_user(user_id)
    own = user.id == principal.user.id
    if not own and not may_manage(user):
        raise ApiError(403)
    if own and "active" in body and not may_manage(user):
        raise ApiError(403, "Нельзя изменить активность своей учётной записи.")
    try:
        user_admin.update_account(principal.user, user, body)
    except users.AccountError as error:
        raise _account_error(error) from None
    return user


@blp.route("/<int:user_id>/grants", methods=["POST"])
@blp.arguments(GrantSchema)
@blp.response(201, GrantSchema)
def add_grant(body, user_id):
    principal = current()
    user = visible_user(user_id)
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
    if not principal.may_grant(row.role, users.grant_path(row)):
        raise ApiError(403)
    user_admin.revoke_grant(principal.user, user, row)
