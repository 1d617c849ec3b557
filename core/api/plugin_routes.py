"""Mount the blueprints plugins register, guarded by per-municipality activation.

A plugin URL rule with an ``<org_id>`` argument answers 404 where the block
is switched off for that organisation, exactly as if it did not exist.
"""

from flask import request
from flask_smorest import Blueprint as ApiBlueprint

from core.activation import is_enabled
from core.api.errors import ApiError
from core.models import Organization
from core.plugins import per_plugin


def _guard(plugin_name):
    def check():
        org_id = (request.view_args or {}).get("org_id")
        if org_id is None:
            return None
        org = Organization.get_or_none(Organization.id == org_id)
        if org is None or not is_enabled(org, plugin_name):
            raise ApiError(404)
        return None

    return check


def register_plugin_blueprints(app, api):
    registry = app.extensions["metodnet.registry"]
    pm = app.extensions["metodnet.pm"]
    for module_name, blueprints in per_plugin(pm, "register_blueprints"):
        plugin_name = registry.module_names[module_name]
        for blueprint in blueprints:
            blueprint.before_request(_guard(plugin_name))
            if isinstance(blueprint, ApiBlueprint):
                api.register_blueprint(blueprint)
            else:
                app.register_blueprint(blueprint)
