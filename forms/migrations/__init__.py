"""Schema migrations of the form engine (see core.migrator)."""
