"""Built-in programme blocks.

Each block is a folder here whose module implements hooks from
``core.hookspecs``.  They are registered exactly like third-party blocks,
which arrive through the ``metodnet.plugins`` entry-point group.
"""

# Dotted module names of the built-in blocks, registered in this order.
BUILTIN = ("plugins.mentoring", "plugins.diagnostics")
