"""The forms engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- engine ---
# Forms, campaigns, submissions, audits and webhooks: schema, API, pages, commands, and at
# start-up the blocks' declared forms checked and stored.


@hookimpl
def register_migrations():
    return "forms.migrations"


@hookimpl
def register_blueprints():
    from forms.api import blueprints

    return blueprints()


@hookimpl
def register_pages():
    from forms.pages.views import bp

    return [bp]


@hookimpl
def register_commands(cli):
    from forms.engine import webhooks_group

    cli.add_command(webhooks_group)


@hookimpl
def startup(app):
    from forms.engine import start

    start(app)
