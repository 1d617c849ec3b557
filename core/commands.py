"""What the click commands of the core, the engines and the blocks share: the ``--scope``
option resolved to an organisation, and an all-or-nothing import run with a progress bar.

Kept apart from ``core.cli`` (the command group itself), so that an engine or a block
adding its own commands never imports the CLI."""

import sys
from pathlib import Path

import click

from core import organizations
from core.db import database
from core.importing.readers import ReadError, read
from core.importing.result import ImportFailed
from core.models import Organization


def scope_by_code(code: str) -> Organization:
    """The organisation ``--scope CODE`` names, or a usage error naming the option."""
    try:
        return organizations.by_code(code)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="--scope") from None


def run_import(runner, path: Path, scope_code: str):
    """Run an all-or-nothing import of ``path`` under --scope with a progress bar.

    ``runner(sheet, scope, progress=...)`` returns an ImportResult or raises ImportFailed;
    on failure every problem is printed and the process exits with 1."""
    with database.connection_context():
        scope = scope_by_code(scope_code)
        try:
            sheet = read(path.name, path.read_bytes())
        except ReadError as error:
            raise click.ClickException(str(error)) from None
        try:
            with click.progressbar(length=len(sheet.rows), label=path.name) as bar:
                done = [0]

                def step(n):
                    bar.update(n - done[0])
                    done[0] = n

                result = runner(sheet, scope, progress=step)
        except ImportFailed as failure:
            click.echo("Nothing was imported. Problems:", err=True)
            for p in failure.problems:
                click.echo(f"  row {p.row}, column «{p.column}»: {p.message}", err=True)
            sys.exit(1)
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
