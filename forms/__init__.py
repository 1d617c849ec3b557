"""The form engine: declarative forms, campaigns, submissions with review, checklists and audits.

It knows nothing about any programme block; blocks declare forms and
checklists as plain data through ``register_forms`` / ``register_checklists``.
"""
