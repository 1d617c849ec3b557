"""Helpers views use to reach the plugin manager and registry of the current app."""

from flask import current_app


def manager():
    return current_app.extensions["metodnet.pm"]


def registry():
    return current_app.extensions["metodnet.registry"]


def migration_components(app=None) -> dict[str, str]:
    reg = (app or current_app).extensions["metodnet.registry"]
    return {
        "core": "core.migrations",
        "forms": "forms.migrations",
        "exports": "exports.migrations",
        **reg.migrations,
    }
