"""The organisations pages: the tree with search and an organisation's card.

What a person sees is what the API's GET /organizations shows them (``organization.read``
scopes; another municipality's organisation answers 404 through ``core.api.scoping``).
The tree is one query, nested lists of <details> that open without JavaScript; a search
by name or code answers a paginated list instead.  Changes live in organization_edit.py
(create, edit, close, statuses) and organization_blocks.py (switching blocks).
"""

from flask import Blueprint, g, render_template, request, url_for
from peewee import fn

from core import vocabulary
from core.access import ROOT
from core.api import scoping
from core.models import Organization, OrganizationStatus, RoleGrant, StaffMember, User
from core.models.organization import ACTIVATION_KINDS, EDUCATIONAL_KINDS, KINDS
from core.web import organization_blocks
from core.web.forms import PageForm
from core.web.organization_forms import EndForm, status_form
from core.web.session import login_required

bp = Blueprint("organization_pages", __name__, template_folder="templates")

PER_PAGE = 50


def readable(principal):
    return Organization.select().where(
        scoping.in_scopes(Organization.path, principal.scopes("organization.read"))
    )


def tree_of(orgs) -> list[dict]:
    """Nodes {"org", "children"} of ``orgs`` ordered by path; an organisation whose parent is
    not shown starts a tree of its own (a methodist's municipality)."""
    nodes, roots = {}, []
    for org in orgs:
        node = nodes[org.id] = {"org": org, "children": []}
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    for node in nodes.values():  # the administrative levels first, then by name
        node["children"].sort(key=lambda n: (n["org"].kind not in ACTIVATION_KINDS, n["org"].name))
    return roots


@bp.route("/organizations")
@login_required
def index():
    query = readable(g.principal)
    text = request.args.get("q", "").strip()[:200]
    if not text:
        return render_template(
            "organizations/tree.html",
            roots=tree_of(query.order_by(Organization.path)),
            q="",
            kinds=KINDS,
        )
    found = query.where(
        Organization.name.contains(text)
        | Organization.short_name.contains(text)
        | (Organization.code == text)
    ).order_by(Organization.name, Organization.id)
    page = max(request.args.get("page", 1, type=int), 1)
    total = found.count()
    items = list(found.paginate(page, PER_PAGE))
    parents = {o.id: o for o in Organization.select().where(Organization.id.in_(
        {o.parent_id for o in items if o.parent_id} or {0}
    ))}  # fmt: skip
    return render_template(
        "organizations/search.html",
        q=text,
        items=items,
        parents=parents,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        total=total,
        kinds=KINDS,
    )


def ancestors(org) -> list[Organization]:
    ids = org.ancestor_ids()[:-1]
    by_id = {o.id: o for o in Organization.select().where(Organization.id.in_(ids or [0]))}
    return [by_id[i] for i in ids if i in by_id]


def coordinators(org) -> list[User]:
    return list(
        User.select()
        .join(RoleGrant)
        .where(RoleGrant.scope == org.id, RoleGrant.role == "school_coordinator", User.active)
        .order_by(User.full_name)
        .distinct()
    )


def card_context(org) -> dict:
    principal = g.principal
    statuses = list(org.statuses.order_by(OrganizationStatus.start_date, OrganizationStatus.id))
    labels = vocabulary.labels("organization_statuses")
    children = list(org.children.order_by(Organization.name)) if org.kind in KINDS else []
    staff = (
        StaffMember.select(fn.COUNT(StaffMember.id))
        .where(StaffMember.organization == org, StaffMember.active)
        .scalar()
    )
    chain = ancestors(org)
    return {
        "org": org,
        "kind": KINDS.get(org.kind, org.kind),
        "chain": chain,
        # A school's coordinator reads the region's name, not its card: no link to a 404.
        "visible": {a.id for a in chain if principal.sees(a.path)},
        "statuses": [(row, labels.get(row.status, row.status)) for row in statuses],
        "educational": org.kind in EDUCATIONAL_KINDS,
        "staff_count": staff,
        "children": [c for c in children if principal.sees(c.path)],
        "blocks": organization_blocks.states(org, chain),
        "switchable": org.kind in ACTIVATION_KINDS and principal.can("plugin.manage", org.path),
        "writable": principal.can("organization.write", org.path),
        "coordinators": coordinators(org),
        "kinds": KINDS,
        "status_form": status_form(),
        "end_form": EndForm(),
        "ending": None,
        "action_form": PageForm(),
    }


@bp.route("/organizations/<int:org_id>")
@login_required
def card(org_id):
    org = scoping.organization(org_id, "organization.read")
    return render_template("organizations/card.html", **card_context(org))


def menu_links(principal) -> list[dict]:
    """«Организации» for whoever reads more than one school; a coordinator gets their own
    school's card («Моя организация»)."""
    scopes = principal.scopes("organization.read")
    if not scopes:
        return []
    if ROOT in scopes or len(scopes) > 1 or principal.scopes("organization.write"):
        return [{"href": url_for("organization_pages.index"), "label": "Организации", "order": 40}]
    own = int(scopes[0].strip("/").split("/")[-1])
    href = url_for("organization_pages.card", org_id=own)
    return [{"href": href, "label": "Моя организация", "order": 40}]
