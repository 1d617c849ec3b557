"""The application factory."""

import os

from flask import Flask

from core import access, config, db, request_limits, startup
from core.plugins import collect, create_manager
from core.security import headers


def create_app(test_config=None, plugins=(), load_entry_points=True):
    """Build the service: config, database, plugins, API, pages, commands.

    ``plugins`` are extra plugin objects registered after the built-in and
    installed ones (tests pass small inline plugins this way).
    """
    app = Flask("metodnet", instance_path=os.environ.get("METODNET_INSTANCE_PATH"))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = config.sqlite_url(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)
    app.json.ensure_ascii = False  # Russian stays readable in JSON
    app.json.sort_keys = False

    db.bind(
        app.config["DATABASE_URL"],
        app.config["SQLITE_BUSY_TIMEOUT_MS"],
        connect_timeout_s=app.config["DB_CONNECT_TIMEOUT_S"],
        statement_timeout_ms=app.config["DB_STATEMENT_TIMEOUT_MS"],
    )
    db.init_app(app)

    pm = create_manager(extra_plugins=plugins, load_entry_points=load_entry_points)
    app.extensions["metodnet.pm"] = pm
    app.extensions["metodnet.registry"] = collect(pm)
    app.extensions[access.EXTENSION] = access.build_table(app.extensions["metodnet.registry"])

    from core import api, web

    # The core, the engines and the blocks contribute alike, each through its hooks (the
    # engines first: they are registered first).  No component is named here.
    api.init_app(app)  # the core's API, then every register_blueprints, then the guard
    web.init_app(app)  # the site shell, then every register_pages; HTML errors for pages
    request_limits.init_app(app)  # before every other before-request function
    headers.init_app(app)
    pm.hook.register_commands(cli=app.cli)
    startup.run_or_defer(app)  # with the database down, at the first request that reaches it
    # Start-up work used the pool: a server that forks workers after this (gunicorn
    # --preload) must not hand the same connection to two processes.
    db.release_all()
    return app
