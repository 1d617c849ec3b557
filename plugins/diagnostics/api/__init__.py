"""The block's HTTP API: catalogues and settings, people (results, routes, support), lists."""
