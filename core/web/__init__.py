"""The site shell every page renders in: sign-in and session, the layout with the menu
the plugins contribute, the home page «Рабочий стол» built from their widgets, Russian
HTML error pages, the core's own pages, and the blocks' pages (``register_pages``)."""


def init_app(app):
    from core import clock
    from core.web import (
        audit_log,
        blocks,
        errors,
        organization_blocks,
        organization_edit,
        organizations,
        password,
        profile,
        settings,
        staff,
        staff_import,
        user_grants,
        users,
        views,
    )
    from core.web.session import check_csrf_first

    # Pages show a moment in the local time of the organisation's zone, naming the zone.
    app.jinja_env.globals["local_time"] = clock.display

    app.before_request(check_csrf_first)  # registered before the blocks' guard runs
    for module in (
        views,  # sign-in, sign-out, the home page
        settings,
        profile,
        organizations,
        organization_edit,
        organization_blocks,
        users,
        user_grants,
        password,
        staff,
        staff_import,
        audit_log,
    ):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    blocks.register_block_pages(app)
