"""Mount the pages the blocks contribute (``register_pages``): Flask blueprints with their
own templates and static files, rendered in the core's shell.

A page URL with ``<org_id>`` answers the HTML 404 page where the block is off for that
organisation, as if the page did not exist.
"""

from flask import request

from core.activation import is_enabled
from core.api.errors import ApiError
from core.models import Organization
from core.plugins import per_plugin
from core.web.session import current_principal


def register_block_pages(app):
    registry = app.extensions["metodnet.registry"]
    owners = {}  # blueprint name → plugin name
    for module_name, blueprints in per_plugin(app.extensions["metodnet.pm"], "register_pages"):
        for blueprint in blueprints:
            owners[blueprint.name] = registry.module_names[module_name]
            app.register_blueprint(blueprint)

    @app.before_request
    def _block_page_enabled_here():
        plugin = owners.get(request.blueprint)
        org_id = (request.view_args or {}).get("org_id")
        if plugin is None or org_id is None:
            return None
        if current_principal() is None:
            return None  # signed out: the page sends to sign-in and learns nothing of activation
        org = Organization.get_or_none(Organization.id == org_id)
        if org is None or not is_enabled(org, plugin):
            raise ApiError(404)
        return None
