"""Mount the pages the blocks contribute (``register_pages``): Flask blueprints with their
own templates and static files, rendered in the core's shell.

Every page rule is guarded like the API's (``core.url_guard``): where the block is off it
answers the HTML 404 page, as if the page did not exist.  A signed-out visitor is sent to
sign-in first and learns nothing of where a block is on.
"""

from flask import g, redirect, request, url_for
from werkzeug.exceptions import HTTPException, NotFound

from core.plugins import per_plugin
from core.url_guard import install_guard
from core.web.session import current_principal


def _refusal():
    if current_principal() is None:
        target = url_for("web.signin", next=request.full_path.rstrip("?"))
        return HTTPException(response=redirect(target))
    return NotFound()


def register_block_pages(app):
    registry = app.extensions["metodnet.registry"]
    owners = {}  # blueprint name → plugin name
    for module_name, blueprints in per_plugin(app.extensions["metodnet.pm"], "register_pages"):
        for blueprint in blueprints:
            owner = registry.module_names[module_name]
            if owner in registry.plugins:  # the engines' pages are never switched off
                owners[blueprint.name] = owner
            app.register_blueprint(blueprint)

    @app.before_request
    def _load_caller_of_block_pages():
        if request.blueprint in owners:
            g.principal = current_principal()  # the guard's "reachable" needs the caller

    install_guard(app, owners, refuse=_refusal)
