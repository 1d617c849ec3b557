"""Server-rendered pages: schools fill forms, methodists review. Russian, no JavaScript needed."""


def init_app(app):
    from forms.pages.views import bp

    app.register_blueprint(bp)
