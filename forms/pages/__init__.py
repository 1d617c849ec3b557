"""Server-rendered pages for schools and methodists (added below)."""


def init_app(app):
    pass
