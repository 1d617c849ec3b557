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
