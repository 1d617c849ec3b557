"""Schema migrations of the export engine (see core.migrator)."""
