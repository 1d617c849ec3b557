"""`metodnet diagnostics import FILE --scope CODE`: results from a procedure's spreadsheet."""

from pathlib import Path

import click

from core.commands import run_import
from plugins.diagnostics import importing


@click.group("diagnostics")
def diagnostics_group():
    """Diagnostics of professional deficits."""


@diagnostics_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--scope", "scope_code", required=True, help="Code of the region or subtree.")
def import_results(path, scope_code):
    """Import results (xlsx or csv) for the staff under --scope; all or nothing."""
    run_import(importing.run, path, scope_code)
