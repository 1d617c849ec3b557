"""Helpers views use to reach the plugin manager and registry of the current app."""

from flask import current_app


def manager():
    return current_app.extensions["metodnet.pm"]


def registry():
    return current_app.extensions["metodnet.registry"]


def migration_components(app=None) -> dict[str, str]:
    """{component: migrations package} from ``register_migrations``: the core and the
    engines first (the blocks' tables refer to theirs), then the blocks in their order."""
    from core.plugins import ENGINES

    declared = (app or current_app).extensions["metodnet.registry"].migrations
    engines = {name: declared[name] for name in ENGINES if name in declared}
    return {**engines, **declared}
