"""The diagnostics block's migrations."""
