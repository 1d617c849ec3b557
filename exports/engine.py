"""The exports engine's `export` and `worker` commands and its start-up checks.

It reaches the app only through its hook implementations (``exports.plugin``)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from core.db import database


@click.command("export")
@click.argument("code")
@click.option("--scope", "scope_code", required=True, help="Organisation code of the scope.")
@click.option("--period", default=None, help="2025, 2024/2025, 2025-05 or 2025-Q2.")
@click.option("--campaign", "campaign_id", type=int, default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(code, scope_code, period, campaign_id, output):
    """Write an export to an .xlsx file, with a progress bar."""
    from core.commands import scope_by_code
    from exports.running import ExportRefused, prepare, produce

    registry = current_app.extensions["metodnet.registry"]
    with database.connection_context():
        scope = scope_by_code(scope_code)
        try:
            declaration, ctx = prepare(
                code, scope, registry, period=period, campaign_id=campaign_id
            )
        except ExportRefused as error:
            raise click.BadParameter(error.message, param_hint=f"--{error.field}") from None
        with click.progressbar(length=0, label=declaration["title"], show_pos=True) as bar:
            done = [0]

            def step(rows):
                bar.update(rows - done[0])
                done[0] = rows

            rows = produce(declaration, ctx, str(output), registry, progress=step)
    click.echo(f"wrote {rows} rows to {output}")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
@with_appcontext
def worker_command(workers):
    """Run the background job worker (export jobs, webhook delivery, schedules)."""
    from core.jobs import run_worker

    run_worker(current_app._get_current_object(), workers)


def check_indicator(declaration, owner) -> None:
    """A unit, a way to compute, and a Russian description of the numerator and the
    denominator (shown by the API, the pages and the workbook): refused at start-up."""
    from core.plugins import PluginError

    computes = [declaration.get(key) for key in ("compute", "compute_grouped")]
    if declaration.get("unit") not in ("share", "count", "ratio") or not any(
        callable(function) for function in computes
    ):
        raise PluginError(
            f"plugin {owner!r}: indicator {declaration['code']!r} needs a unit "
            "(share, count, ratio) and a compute or compute_grouped callable"
        )
    description = declaration.get("description")
    if not isinstance(description, str) or not description.strip():
        raise PluginError(
            f'plugin {owner!r}: indicator {declaration["code"]!r} needs a "description" '
            "(in Russian: what its numerator and denominator count)"
        )


def check_declarations(registry) -> None:
    from exports.indicators import CORE_INDICATORS
    from exports.registry import check

    for declaration in registry.items("exports"):
        check(declaration, registry.owner("exports", declaration["code"]))
    for declaration in CORE_INDICATORS:
        check_indicator(declaration, "core")
    for declaration in registry.items("indicators"):
        check_indicator(declaration, registry.owner("indicators", declaration["code"]))


def start(app) -> None:
    """At start-up: every declared export and indicator is well formed."""
    import exports.queue  # noqa: F401  (registers the export task with the worker)

    check_declarations(app.extensions["metodnet.registry"])
