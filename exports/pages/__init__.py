"""The exports engine's pages, rendered in the core's shell (core/web)."""
