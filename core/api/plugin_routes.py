"""Mount the API blueprints blocks register, each URL rule guarded by activation.

A block's URL answers 404 where the block is switched off, exactly as if it did not
exist: the guard (``core.url_guard``) resolves the URL's parameters to organisations.
"""

from flask_smorest import Blueprint as ApiBlueprint

from core.api.errors import ApiError
from core.plugins import per_plugin
from core.url_guard import install_guard


def register_plugin_blueprints(app, api):
    registry = app.extensions["metodnet.registry"]
    owners = {}  # blueprint name → plugin name
    for module_name, blueprints in per_plugin(app.extensions["metodnet.pm"], "register_blueprints"):
        owner = registry.module_names[module_name]
        for blueprint in blueprints:
            if owner in registry.plugins:  # the engines' own blueprints are never switched off
                owners[blueprint.name] = owner
            if isinstance(blueprint, ApiBlueprint):
                api.register_blueprint(blueprint)
            else:
                app.register_blueprint(blueprint)
    install_guard(app, owners, refuse=lambda: ApiError(404))
