"""The forms engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- pages ---


@hookimpl
def menu_links(principal):
    from flask import url_for

    from forms.pages import dashboard

    links = []
    if dashboard.may_fill_any(principal) or dashboard.may_review_any(principal):
        links.append({"href": url_for("pages.campaigns"), "label": "Кампании", "order": 10})
    if dashboard.may_review_any(principal):
        links.append({"href": url_for("pages.review_overview"), "label": "Проверка", "order": 20})
    return links


@hookimpl
def home_widgets(principal):
    from flask import render_template
    from markupsafe import Markup

    from forms.pages import dashboard

    widgets = []
    if dashboard.may_fill_any(principal):
        due = dashboard.to_fill(principal)
        html = render_template("forms/widget_to_fill.html", due=due)
        widgets.append({"title": "Мне заполнить", "html": Markup(html), "order": 10})
    if dashboard.may_review_any(principal):
        rows = dashboard.awaiting_review(principal)
        html = render_template("forms/widget_to_review.html", rows=rows)
        widgets.append({"title": "Ждут проверки", "html": Markup(html), "order": 20})
    return widgets


# --- engine ---
# Forms, campaigns, submissions, audits and webhooks: schema, API, pages, commands, and at
# start-up the blocks' declared forms checked and stored.


@hookimpl
def register_migrations():
    return "forms.migrations"


@hookimpl
def register_blueprints():
    from forms.api import blueprints

    return blueprints()


@hookimpl
def register_pages():
    from forms.pages import campaign_change  # noqa: F401  (its route joins bp)
    from forms.pages.views import bp

    return [bp]


@hookimpl
def register_commands(cli):
    from forms.engine import webhooks_group

    cli.add_command(webhooks_group)


@hookimpl
def startup(app):
    from forms.engine import start

    start(app)


# --- permissions ---

_MANAGERS = ["admin", "regional_operator", "municipal_methodist"]


@hookimpl
def register_permissions():
    return [
        {"code": "form.manage", "title": "Ведение форм", "roles": _MANAGERS},
        {"code": "campaign.manage", "title": "Проведение кампаний сбора", "roles": _MANAGERS},
        {
            "code": "submission.fill",
            "title": "Заполнение форм организации",
            "roles": ["admin", "school_coordinator"],
        },
        {"code": "submission.review", "title": "Проверка ответов", "roles": _MANAGERS},
        {"code": "audit.manage", "title": "Проведение аудитов", "roles": _MANAGERS},
        {
            "code": "audit.self",
            "title": "Самообследование организации",
            "roles": ["admin", "school_coordinator"],
        },
        {"code": "audit.expert", "title": "Экспертная оценка", "roles": ["expert"]},
        {
            "code": "webhook.manage",
            "title": "Настройка веб-хуков",
            "roles": ["admin", "regional_operator"],
        },
    ]


# --- schedules ---


@hookimpl(specname="register_commands")
def register_schedule_commands(cli):
    """`metodnet schedules run [--today YYYY-MM-DD]`: open the campaigns that are due."""
    from forms.schedule_commands import schedules_group

    cli.add_command(schedules_group)


# --- pages: 15C ---
# Campaign creation and copies, forms and checklists, the review queue's filters and bulk
# actions, progress drill-down, audits: their routes join the engine's ``pages`` blueprint
# (forms/pages/views.py imports their modules, so register_pages above mounts them all).


@hookimpl(specname="menu_links")
def workplace_menu_links(principal):
    from flask import url_for

    links = []
    if principal.scopes("form.manage"):
        links.append({"href": url_for("pages.catalogue"), "label": "Формы", "order": 30})
    if any(principal.scopes(code) for code in ("audit.manage", "audit.self", "audit.expert")):
        links.append({"href": url_for("pages.audits"), "label": "Аудиты", "order": 40})
    return links


# --- widgets: 15D ---


@hookimpl(specname="home_widgets")
def campaigns_in_progress_widget(principal):
    """«Кампании в работе»: completeness of each open campaign the person reviews and who
    has not submitted (by municipality for the regional operator)."""
    from flask import render_template
    from markupsafe import Markup

    from forms.pages.in_progress import in_progress

    if not principal.scopes("submission.review"):
        return []
    rows = in_progress(principal)
    html = render_template("forms/widget_in_progress.html", rows=rows)
    return [{"title": "Кампании в работе", "html": Markup(html), "order": 25}]
