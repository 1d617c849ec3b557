"""`metodnet diagnostics import FILE --scope CODE`: results from a procedure's spreadsheet."""

import sys
from pathlib import Path

import click

from core.cli import scope_by_code
from core.db import database
from core.importing.readers import ReadError, read
from core.importing.result import ImportFailed
from plugins.diagnostics import importing


@click.group("diagnostics")
def diagnostics_group():
    """Diagnostics of professional deficits."""


@diagnostics_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scope", "scope_code", required=True, help="Code of the region or subtree.")
def import_results(path, scope_code):
    """Import results (xlsx or csv) for the staff under --scope; all or nothing."""
    with database.connection_context():
        scope = scope_by_code(scope_code)
        try:
            sheet = read(path.name, path.read_bytes())
            result = importing.run(sheet, scope)
        except ReadError as error:
            raise click.ClickException(str(error)) from None
        except ImportFailed as failure:
            click.echo("Nothing was imported. Problems:", err=True)
            for p in failure.problems:
                click.echo(f"  row {p.row}, column «{p.column}»: {p.message}", err=True)
            sys.exit(1)
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
