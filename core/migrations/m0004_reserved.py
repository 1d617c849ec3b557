"""Reserved: this number belongs to another branch's migration (kept so numbers stay 1..N)."""


def up(db):
    pass
