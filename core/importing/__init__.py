"""All-or-nothing imports of organisations and staff from xlsx or csv with Russian headers."""
