"""The ``metodnet`` command: Flask's commands plus the core's own (database, demo, import,
users, staff, backup).  The core, the engines and the blocks add theirs through the
``register_commands`` hook (the core's in ``core.plugin``)."""

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from core import audit, backup, migrator, users
from core.access import is_role, role_title
from core.commands import run_import, scope_by_code
from core.db import database
from core.importing import organizations as org_import
from core.importing import staff as staff_import
from core.importing import templates
from core.models import Organization, StaffMember
from core.plugin_access import migration_components


def _create_app():
    from core.app import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="metodnet: методическая служба региона.")


@click.group("db")
def db_group():
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply pending migrations of the core and every plugin."""
    from flask import current_app

    with database.connection_context():
        done = migrator.upgrade(migration_components())
    for m in done:
        click.echo(f"applied {m.component} {m.number:04d} {m.name}")
    click.echo(f"schema up to date ({len(done)} migration(s) applied)")
    # The app started before the schema existed: what the engines store at start-up
    # (the blocks' form versions) is stored now.
    current_app.extensions["metodnet.pm"].hook.startup(app=current_app)


@db_group.command("status")
@with_appcontext
def db_status():
    """List migrations and whether each is applied."""
    with database.connection_context():
        for m, applied in migrator.status(migration_components()):
            click.echo(f"[{'x' if applied else ' '}] {m.component} {m.number:04d} {m.name}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database.")
@click.option("--seed", default=2025, show_default=True, help="Random seed of the staff records.")
@click.option(
    "--scale",
    type=click.Choice(["region", "country"]),
    help="Synthetic data instead: a region (2,500 organisations, 120,000 staff) "
    "or a country (45,000 organisations, 1,200,000 staff).",
)
@with_appcontext
def demo_command(if_empty, seed, scale):
    """Load the demo region (seeds 000, 002, 003) and print the demo logins."""
    from core import demo

    if scale:
        return _scale_demo(scale, seed, if_empty)

    with database.connection_context():
        if Organization.select().exists():
            if not if_empty:
                raise click.ClickException(
                    "В базе уже есть данные: демо загружается в пустую базу."
                )
            click.echo("The database already has data; the demo region was not loaded.")
        else:
            with click.progressbar(length=demo.total_steps(), label="Demo region") as bar:
                counts = demo.load(seed=seed, progress=bar.update)
            click.echo(
                f"Loaded {counts['organizations']} organisations and {counts['staff']} staff."
            )
            if counts["blocks"]:  # what each block's demo_data added
                click.echo(", ".join(f"{name}: {n}" for name, n in counts["blocks"].items()))
    click.echo(demo.logins_text())
    click.echo("Pages: http://127.0.0.1:5000/signin (e.g. school.klin1, metodist.klin).")


def _scale_demo(scale, seed, if_empty):
    from core import demo_scale

    with database.connection_context():
        if Organization.select().exists():
            if not if_empty:
                raise click.ClickException(
                    "В базе уже есть данные: демо загружается в пустую базу."
                )
            click.echo("The database already has data; the synthetic data was not loaded.")
            return
        with click.progressbar(length=demo_scale.total_steps(), label=f"Scale: {scale}") as bar:
            counts = demo_scale.load(demo_scale.SCALES[scale], seed=seed, progress=bar.update)
    logins = counts.pop("logins")
    click.echo(", ".join(f"{name}: {count:,}" for name, count in counts.items()))
    click.echo(f"Logins: {', '.join(logins)} (password: {demo_scale.PASSWORD}).")


@click.group("import")
def import_group():
    """All-or-nothing import of organisations and staff (xlsx or csv)."""


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_SCOPE = click.option("--scope", "scope_code", required=True, help="Code of the region or subtree.")


@import_group.command("organizations")
@click.argument("path", type=_FILE)
@_SCOPE
@with_appcontext
def import_organizations(path, scope_code):
    """Import organisations under --scope."""
    run_import(org_import.run, path, scope_code)


@import_group.command("staff")
@click.argument("path", type=_FILE)
@_SCOPE
@with_appcontext
def import_staff(path, scope_code):
    """Import staff of the organisations under --scope."""
    run_import(staff_import.run, path, scope_code)


@click.command("template")
@click.argument("kind", type=click.Choice(sorted(templates.KINDS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def template_command(kind, output):
    """Write a blank import template (xlsx)."""
    output.write_bytes(templates.template(kind))
    click.echo(f"wrote {output}")


@click.group("user")
def user_group():
    """User accounts."""


@user_group.command("create")
@click.argument("login")
@click.option("--role", required=True, help="Role code (declared by the core or a block).")
@click.option("--scope", "scope_code", help="Organisation code (omit for a global administrator).")
@click.option("--staff", "staff_id", type=int, help="Staff record id (role teacher).")
@click.option("--full-name", default="", help="Full name (defaults to the login).")
@click.option("--email", default="")
@with_appcontext
def user_create(login, role, scope_code, staff_id, full_name, email):
    """Create a user; the password is asked for, or read from stdin when piped."""
    if not is_role(role):
        raise click.BadParameter(f"неизвестная роль {role!r}", param_hint="--role")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with database.connection_context():
        scope = scope_by_code(scope_code) if scope_code else None
        if scope is None and role != "admin":
            raise click.BadParameter("укажите --scope для этой роли", param_hint="--scope")
        staff = None
        if role == "teacher":
            staff = StaffMember.get_or_none(StaffMember.id == staff_id) if staff_id else None
            if staff is None or staff.organization_id != scope.id:
                raise click.BadParameter("укажите --staff работника этой организации")
        try:
            with database.atomic():
                user = users.create_user(
                    login=login, password=password, full_name=full_name or login, email=email
                )
                users.grant(user, role, scope=scope, staff=staff)
                audit.record(
                    "create",
                    login="cli",
                    object_type="user",
                    object_id=user.id,
                    scope_path=users.scope_path(user),
                    after={**users.snapshot(user), "role": role},
                )
        except users.AccountError as error:
            raise click.ClickException(error.message) from None
    click.echo(f"created user {user.login} ({role_title(role)})")


@click.group("staff")
def staff_group():
    """Staff records."""


@staff_group.command("erase")
@click.argument("staff_id", type=int)
@click.option("--reason", default="", help="The basis of the request (kept in the audit log).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the audit log extract proving the erasure (JSON).",
)
@with_appcontext
def staff_erase(staff_id, reason, output):
    """Erase a person's personal data on request (152-FZ), keeping the figures."""
    import json

    from core import personal_data

    with database.connection_context():
        staff = StaffMember.get_or_none(StaffMember.id == staff_id)
        if staff is None:
            raise click.ClickException(f"Работник № {staff_id} не найден.")
        result = personal_data.erase(staff, reason=reason, login="cli")
        result["audit_extract"] = personal_data.extract(staff_id)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"erased staff {staff_id}; audit extract written to {output}")


def _database_url() -> str:
    from flask import current_app

    return current_app.config["DATABASE_URL"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Write a backup of the database to FILE (safe while the server runs)."""
    try:
        backup.backup(_database_url(), path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {path}")


@click.command("restore")
@click.argument("path", type=_FILE)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the whole database with the backup FILE (stop the server first)."""
    if not yes:
        click.confirm("Все данные в базе будут заменены копией. Продолжить?", abort=True)
    try:
        backup.restore(_database_url(), path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {path}")


def _serve_option(name, help_text):
    from core.serve import DEFAULTS

    return click.option(
        f"--{name.replace('_', '-')}",
        name,
        type=int,
        default=DEFAULTS[name],
        show_default=True,
        envvar=f"METODNET_SERVE_{name.upper()}",
        help=f"{help_text} (METODNET_SERVE_{name.upper()}).",
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="METODNET_SERVE_HOST")
@click.option("--port", default=5000, show_default=True, type=int, envvar="METODNET_SERVE_PORT")
@click.option("--fd", type=int, help="Listen on this already bound socket instead (inherited).")
@_serve_option("threads", "Requests handled at once")
@_serve_option("connection_limit", "Open connections accepted, slow ones included")
@_serve_option("channel_timeout", "Seconds an idle connection is kept")
@_serve_option("request_timeout", "Seconds a request may take to arrive in full")
@with_appcontext
def serve_command(fd, **options):
    """Serve the site and the API with the production server (waitress)."""
    import socket

    from flask import current_app

    from core.serve import serve

    if fd is not None:
        options["sock"] = socket.socket(fileno=fd)
    serve(current_app._get_current_object(), **options)


main.add_command(serve_command)
