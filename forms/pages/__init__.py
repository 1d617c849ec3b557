"""The form engine's pages (campaigns, fill, review, progress), rendered in the core's
shell; its menu links and home widgets are hook implementations in ``forms.plugin``."""


def init_app(app):
    from forms.pages.views import bp

    app.register_blueprint(bp)
