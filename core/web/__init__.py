"""The site shell every page renders in: sign-in and session, the layout with the menu
the plugins contribute, the home page «Рабочий стол» built from their widgets, Russian
HTML error pages, and the blocks' own pages (``register_pages``)."""


def init_app(app):
    from core.web import blocks, errors, profile, settings, views
    from core.web.session import check_csrf_first

    app.before_request(check_csrf_first)  # registered before the blocks' guard runs

    app.register_blueprint(views.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(profile.bp)
    from core.web import audit_log, staff, staff_import  # pages: staff and audit

    app.register_blueprint(staff.bp)
    app.register_blueprint(staff_import.bp)
    app.register_blueprint(audit_log.bp)
    errors.init_app(app)
    blocks.register_block_pages(app)
