"""Placeholder for the core's migration 2, taken by another branch (block settings and
vocabularies) at the same time as m0003_activity; the runner refuses gaps in numbering.
Delete this file when that branch's m0002 is merged."""


def up(db):
    pass
