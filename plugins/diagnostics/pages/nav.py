"""Menu links and home-page cards of the diagnostics block, for one signed-in person.

A link shows only where the block is on somewhere in the person's scope (one function,
``reachable``, to swap for the core's "reachable" rule when it lands)."""

from markupsafe import Markup

from core import activation
from core.access import ROOT
from core.models import Organization, StaffMember
from plugins.diagnostics.catalogue_edits import EDIT_PERMISSION
from plugins.diagnostics.low_results import people_low_without_route
from plugins.diagnostics.models import Step
from plugins.diagnostics.personal import NAME
from plugins.diagnostics.routes import current_route


def _scope_orgs(principal, permission=None) -> list[Organization]:
    paths = principal.scopes(permission)
    if ROOT in paths:
        return list(Organization.select().where(Organization.kind == "region"))
    if not paths:
        return []
    return list(Organization.select().where(Organization.path.in_(paths)))


def enabled_under(org) -> list[str]:
    """The subtrees under ``org`` where the block is on (empty: unreachable from there)."""
    return activation.where_on(org, NAME)


def reachable(principal, permission=None) -> list[Organization]:
    """Organisations of the scope (where ``permission`` is held) with the block on under
    them, each with ``.enabled_paths`` — the subtrees where it is on."""
    found = []
    for org in _scope_orgs(principal, permission):
        org.enabled_paths = enabled_under(org)
        if org.enabled_paths:
            found.append(org)
    return found


def own_staff(principal) -> StaffMember | None:
    """The teacher's own staff record where the block is on, or None."""
    from core.activation import is_enabled

    for staff in StaffMember.select().where(StaffMember.id.in_(sorted(principal.staff_ids))):
        if is_enabled(staff.organization, NAME):
            return staff
    return None


def catalogue_regions(principal) -> list[Organization]:
    return [
        org
        for org in reachable(principal, EDIT_PERMISSION)
        if org.kind == "region" and principal.can(EDIT_PERMISSION, org.path)
    ]


def menu_links(principal) -> list[dict]:
    links = []
    if own_staff(principal) is not None:
        links += [
            {"href": "/diagnostics/my/results", "label": "Мои результаты", "order": 40},
            {"href": "/diagnostics/my/route", "label": "Мой маршрут", "order": 41},
        ]
    if reachable(principal, "diagnostics.results.read"):
        links.append({"href": "/diagnostics/", "label": "Диагностика", "order": 42})
    for region in catalogue_regions(principal):
        href = f"/diagnostics/regions/{region.id}/catalogue"
        links.append({"href": href, "label": "Каталоги диагностики", "order": 43})
    if "expert" in principal.roles and reachable(principal):
        links.append({"href": "/diagnostics/assigned", "label": "Назначено мне", "order": 44})
    return links


def _route_card(staff) -> dict | None:
    route = current_route(staff.id)
    if route is None:
        return None
    steps = [s for s in Step.select().where(Step.route == route) if s.status != "cancelled"]
    done = sum(1 for s in steps if s.status == "done")
    due = sorted(
        (s for s in steps if s.status in ("planned", "in_progress")),
        key=lambda s: (s.planned_end is None, s.planned_end, s.id),
    )
    html = Markup("<p>Выполнено шагов: {} из {}.</p>").format(done, len(steps))
    if due:
        when = due[0].planned_end.strftime("%d.%m.%Y") if due[0].planned_end else "без срока"
        html += Markup("<p>Ближайший шаг: {} (до {}).</p>").format(due[0].title, when)
    html += Markup('<p><a href="/diagnostics/my/route">Мой маршрут</a></p>')
    return {"title": "Мой маршрут", "html": html, "order": 40}


def home_widgets(principal) -> list[dict]:
    cards = []
    staff = own_staff(principal)
    if staff is not None:
        card = _route_card(staff)
        if card:
            cards.append(card)
    if "municipal_methodist" in principal.roles or "regional_operator" in principal.roles:
        orgs = reachable(principal, "diagnostics.support.accept")
        if orgs:
            people = people_low_without_route([p for org in orgs for p in org.enabled_paths])
            html = Markup("<p>Педагогов с низкими результатами без маршрута: {}.</p>").format(
                people
            )
            for org in orgs:
                html += Markup('<p><a href="/diagnostics/organizations/{}/low">{}</a></p>').format(
                    org.id, org.name
                )
            cards.append({"title": "Диагностика: нужен маршрут", "html": html, "order": 41})
    return cards
