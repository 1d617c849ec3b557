"""Core schema migrations (see core.migrator)."""
