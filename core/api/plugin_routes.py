"""Mount the blueprints plugins register, guarded by per-municipality activation.

A plugin URL rule with an ``<org_id>`` argument answers 404 where the block
is switched off for that organisation, exactly as if it did not exist.
"""

from flask import request
from flask_smorest import Blueprint as ApiBlueprint

from core.activation import is_enabled
from core.api.errors import ApiError
from core.models import Organization
from core.plugins import ENGINES, per_plugin


def register_plugin_blueprints(app, api):
    registry = app.extensions["metodnet.registry"]
    owners = {}  # blueprint name → plugin name
    for module_name, blueprints in per_plugin(app.extensions["metodnet.pm"], "register_blueprints"):
        owner = registry.module_names[module_name]
        for blueprint in blueprints:
            if owner not in ENGINES:  # the core and its engines are never switched off
                owners[blueprint.name] = owner
            if isinstance(blueprint, ApiBlueprint):
                api.register_blueprint(blueprint)
            else:
                app.register_blueprint(blueprint)

    @app.before_request
    def _plugin_enabled_here():
        plugin = owners.get(request.blueprint)
        org_id = (request.view_args or {}).get("org_id")
        if plugin is None or org_id is None:
            return None
        org = Organization.get_or_none(Organization.id == org_id)
        if org is None or not is_enabled(org, plugin):
            raise ApiError(404)
        return None
