"""The exports engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- engine ---
# Excel exports, export jobs and indicators: schema, API, the `export` and `worker`
# commands, and at start-up every declared export and indicator checked.


@hookimpl
def register_migrations():
    return "exports.migrations"


@hookimpl
def register_blueprints():
    from exports.api import blp

    return [blp]


@hookimpl
def register_commands(cli):
    from exports.engine import export_command, worker_command

    cli.add_command(export_command)
    cli.add_command(worker_command)


@hookimpl
def startup(app):
    from exports.engine import start

    start(app)


# --- permissions ---


@hookimpl
def register_permissions():
    return [
        {
            "code": "export.run",
            "title": "Выгрузка отчётов Excel",
            "roles": ["admin", "regional_operator", "municipal_methodist", "school_coordinator"],
        },
        {
            "code": "indicator.read",
            "title": "Просмотр показателей",
            "roles": [
                "admin",
                "regional_operator",
                "municipal_methodist",
                "school_coordinator",
                "expert",
            ],
        },
    ]


# --- indicators ---
# The region's settings of the indicators (which positions count as methodists).


@hookimpl
def register_settings():
    from exports.indicator_settings import DECLARATION

    return DECLARATION
