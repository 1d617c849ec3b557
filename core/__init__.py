"""metodnet core: organisations, staff, users, the plugin manager and the JSON API."""

__version__ = "0.1.0"
