"""Reserved: this number belongs to a change made on another branch at the same time; the
file keeps the core's migrations contiguous until the branches are merged (then it is
replaced by that change)."""


def up(db):
    pass
