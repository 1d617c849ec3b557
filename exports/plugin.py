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
    from exports.api_targets import blp as targets_blp

    return [blp, targets_blp]


@hookimpl
def register_commands(cli):
    from exports.cli_targets import indicators_group
    from exports.engine import export_command, worker_command

    cli.add_command(export_command)
    cli.add_command(worker_command)
    cli.add_command(indicators_group)


@hookimpl
def startup(app):
    from exports.engine import start

    start(app)


# --- permissions ---


@hookimpl
def register_permissions():
    return [
        {
            "code": "indicator.targets.manage",
            "title": "Целевые значения показателей региона",
            "roles": ["admin", "regional_operator"],
        },
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


# --- targets ---
# Targets of indicators per region and year: the page «Целевые значения показателей» and
# its menu link (the API is registered above, the command under `metodnet indicators`).


@hookimpl
def register_pages():
    from exports.pages.targets import bp

    return [bp]


@hookimpl
def menu_links(principal):
    from exports.pages.targets import menu_links

    return menu_links(principal)


# --- indicators ---
# The region's settings of the indicators (which positions count as methodists).


@hookimpl
def register_settings():
    from exports.indicator_settings import DECLARATION

    return DECLARATION


# --- pages: 15D ---
# «Показатели» (the dashboard) and «Выгрузки» (exports, background jobs, "my exports"), their
# menu links and the home cards: indicators off target, a teacher's profile and portfolio.


@hookimpl(specname="register_pages")
def register_dashboard_pages():
    from exports.pages.exports import bp as exports_bp
    from exports.pages.indicators import bp as indicators_bp

    return [indicators_bp, exports_bp]


@hookimpl(specname="menu_links")
def dashboard_menu_links(principal):
    from exports.pages import exports, indicators

    return [*indicators.menu_links(principal), *exports.menu_links(principal)]


@hookimpl(specname="home_widgets")
def dashboard_home_widgets(principal):
    from exports.pages.widgets import home_widgets

    return home_widgets(principal)
