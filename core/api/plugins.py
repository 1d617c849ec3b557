"""Programme blocks: GET /api/v1/plugins, PUT/DELETE /api/v1/organizations/{id}/plugins/{name}."""

from core import activation, block_switch
from core.api import scoping
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.errors import ApiError
from core.plugin_access import registry
from core.schemas.misc import ActivationSchema, PluginListSchema, PluginQuerySchema

blp = Blueprint("plugins", __name__, url_prefix="/api/v1", description="Программные блоки")


@blp.route("/plugins")
@blp.arguments(PluginQuerySchema, location="query")
@blp.response(200, PluginListSchema)
def list_plugins(args):
    """Installed blocks; with ``organization`` whether each is on there and where it was set."""
    current()
    settings = None
    if "organization" in args:
        org = scoping.organization(args["organization"])
        settings = activation.settings_along(org)
    items = []
    for info in registry().plugins.values():
        item = {
            "name": info.name,
            "title": info.title,
            "version": info.version,
            "description": info.description,
        }
        if settings is not None:
            row = settings.get(info.name)
            item["enabled"] = bool(row and row.enabled)
            item["setting_at"] = row.organization_id if row else None
        items.append(item)
    return {"items": items}


def _switch(org_id, name, enabled):
    principal = current()
    org = scoping.organization(org_id, "plugin.manage")
    try:
        block_switch.switch(org, name, enabled, principal.user)
    except LookupError as error:
        raise ApiError(404, str(error)) from None
    except block_switch.SwitchError as error:
        raise ApiError(422, fields={error.field: [error.message]}) from None
    return {"organization_id": org.id, "plugin": name, "enabled": enabled}


@blp.route("/organizations/<int:org_id>/plugins/<name>", methods=["PUT"])
@blp.response(200, ActivationSchema)
def enable_plugin(org_id, name):
    """Switch the block on for this region, hub or municipality and everything under it."""
    return _switch(org_id, name, True)


@blp.route("/organizations/<int:org_id>/plugins/<name>", methods=["DELETE"])
@blp.response(200, ActivationSchema)
def disable_plugin(org_id, name):
    """Switch the block off here; its data stays and returns when switched on again."""
    return _switch(org_id, name, False)
