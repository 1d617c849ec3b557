"""`metodnet indicators targets show|set|clear`: a region's targets per year from the shell
(the same domain functions as the API and the page; audited as "cli")."""

import click
from flask.cli import with_appcontext

from core import clock
from core.db import database


def _region(code):
    from core.commands import scope_by_code

    region = scope_by_code(code)
    if region.kind != "region":
        raise click.BadParameter("это не регион", param_hint="--region")
    return region


def _refused(error):
    from exports import targets

    if isinstance(error, targets.UnknownIndicator):
        raise click.BadParameter("такого показателя в регионе нет", param_hint="--indicator")
    messages = [f"{name}: {' '.join(m)}" for name, m in error.fields.items()]
    raise click.ClickException("; ".join(messages))


@click.group("indicators")
def indicators_group():
    """Indicators."""


@indicators_group.group("targets")
def targets_group():
    """Targets of indicators per region and year."""


@targets_group.command("show")
@click.option("--region", "region_code", required=True, help="Region code.")
@click.option("--year", type=int, default=None, help="The year whose target is shown.")
@with_appcontext
def show(region_code, year):
    """Every indicator: the declared default, the region's years, the target in force."""

    from exports import targets

    year = year or clock.now().year
    with database.connection_context():
        items = targets.listing(_region(region_code), year)
    for item in items:
        own = " ".join(f"{y}={v}" for y, v in item["targets"].items()) or "—"
        target = "—" if item["target"] is None else item["target"]
        source = targets.SOURCE_TITLES[item["source"]]
        click.echo(
            f"{item['code']}\tпо умолчанию: {item['declared']}\tрегион: {own}\t"
            f"{year}: {target} ({source})"
        )


@targets_group.command("set")
@click.option("--region", "region_code", required=True, help="Region code.")
@click.option("--indicator", "code", required=True, help="Indicator code.")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@click.argument("pairs", nargs=-1, required=True)
@with_appcontext
def set_command(region_code, code, reason, pairs):
    """Set targets: YEAR=VALUE ... (a trajectory is several years)."""
    from exports import targets

    with database.connection_context():
        try:
            found = targets.set_targets(
                _region(region_code), code, targets.parse_pairs(pairs), reason=reason, login="cli"
            )
        except (targets.UnknownIndicator, targets.TargetsRefused) as error:
            _refused(error)
    click.echo(f"{code}: " + " ".join(f"{y}={v}" for y, v in sorted(found.items())))


@targets_group.command("clear")
@click.option("--region", "region_code", required=True, help="Region code.")
@click.option("--indicator", "code", required=True, help="Indicator code.")
@click.argument("years", nargs=-1, type=int, required=True)
@with_appcontext
def clear_command(region_code, code, years):
    """Back to the declared default for YEARS."""
    from exports import targets

    with database.connection_context():
        try:
            targets.clear(_region(region_code), code, years, login="cli")
        except targets.UnknownIndicator as error:
            _refused(error)
    click.echo(f"{code}: {', '.join(map(str, years))} — по умолчанию")
