"""Who may do what, for integrators: GET /api/v1/permissions and GET /api/v1/roles."""

from marshmallow import fields

from core import access
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.schemas.base import BaseSchema

blp = Blueprint("permissions", __name__, url_prefix="/api/v1", description="Роли и права")


class PermissionSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    roles = fields.List(fields.String())
    owner = fields.String(metadata={"description": "Кто объявил: core, forms, exports или блок"})


class RoleSchema(BaseSchema):
    code = fields.String()
    title = fields.String()
    rank = fields.Integer(metadata={"description": "Роль выдаёт роли не выше своего ранга"})
    owner = fields.String()


@blp.route("/permissions")
@blp.response(200, PermissionSchema(many=True))
def list_permissions():
    """Every permission the core, its engines and the blocks check, with the roles holding it."""
    current()
    return [
        {**decl, "code": code, "roles": sorted(decl["roles"])}
        for code, decl in access.table().permissions.items()
    ]


@blp.route("/roles")
@blp.response(200, RoleSchema(many=True))
def list_roles():
    """Every role that can be granted on a subtree, the blocks' own included."""
    current()
    return [{**decl, "code": code} for code, decl in access.table().roles.items()]
