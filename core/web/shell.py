"""What the layout shows around every page: the menu and the home widgets, gathered from
the plugins' hooks for the signed-in principal."""

from flask import g

from core.plugin_access import manager


def _gathered(hook_name, principal) -> list[dict]:
    results = getattr(manager().hook, hook_name)(principal=principal)
    items = [item for result in results for item in result or []]
    return sorted(items, key=lambda item: (item.get("order", 100), item.get("label", "")))


def menu_links(principal) -> list[dict]:
    """{"href", "label", "order"} the principal sees, in order; read once per request."""
    if principal is None:
        return []
    if "menu_links" not in g:
        g.menu_links = _gathered("menu_links", principal)
    return g.menu_links


def home_widgets(principal) -> list[dict]:
    """Cards of the home page: {"title", "html", "order"}, in order."""
    return _gathered("home_widgets", principal)
