"""Changing the tree through pages: create an organisation under a parent, edit it, close
or reopen it, and its statuses (add with a period, end, remove).  The same domain
functions as the API (core.organizations, core.organization_statuses), the same scope
rule (core.api.scoping: 404 outside, 403 without ``organization.write``); a refused value
is shown next to its field and nothing is stored."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from core import organization_statuses, organizations
from core.api import scoping
from core.api.errors import ApiError
from core.models import OrganizationStatus
from core.models.organization import ALLOWED_PARENTS, KINDS
from core.web.forms import PageForm
from core.web.organization_forms import (
    EndForm,
    NewOrganizationForm,
    OrganizationForm,
    status_form,
)
from core.web.organizations import card_context
from core.web.session import login_required

bp = Blueprint("organization_edit_pages", __name__, template_folder="templates")


@bp.route("/organizations/<int:parent_id>/new", methods=["GET", "POST"])
@login_required
def create(parent_id):
    parent = scoping.organization(parent_id, "organization.write")
    form = NewOrganizationForm(request.form if request.method == "POST" else None)
    form.kind.choices = [(k, t) for k, t in KINDS.items() if parent.kind in ALLOWED_PARENTS[k]]
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                org = organizations.add(
                    user=g.principal.user,
                    kind=form.kind.data,
                    name=form.name.data.strip(),
                    short_name=(form.short_name.data or "").strip(),
                    code=form.code.data.strip(),
                    parent=parent,
                )
            except organizations.TreeError as error:
                field = "kind" if error.field == "parent_id" else error.field
                getattr(form, field).errors = [error.message]
            else:
                return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))
        status = 422
    return render_template("organizations/new.html", parent=parent, form=form), status


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id):
    org = scoping.organization(org_id, "organization.write")
    posted = request.method == "POST"
    form = OrganizationForm(request.form if posted else None, obj=None if posted else org)
    status = 200
    if posted:
        if form.validate():
            changes = {
                "name": form.name.data.strip(),
                "short_name": (form.short_name.data or "").strip(),
                "code": form.code.data.strip(),
            }
            try:
                organizations.update(org, changes, user=g.principal.user)
            except organizations.TreeError as error:
                getattr(form, error.field, form.name).errors = [error.message]
            else:
                return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))
        status = 422
    return render_template("organizations/edit.html", org=org, form=form), status


@bp.route("/organizations/<int:org_id>/active", methods=["POST"])
@login_required
def set_active(org_id):
    """Close an organisation (it stays in the tree and in history) or reopen it."""
    org = scoping.organization(org_id, "organization.write")
    if not PageForm(request.form).validate():
        raise ApiError(400)
    active = request.form.get("active") == "1"
    organizations.update(org, {"active": active}, user=g.principal.user)
    return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))


def _card_with(org, **forms):
    context = card_context(org)
    context.update(forms)
    return render_template("organizations/card.html", **context), 422


@bp.route("/organizations/<int:org_id>/statuses", methods=["POST"])
@login_required
def add_status(org_id):
    org = scoping.organization(org_id, "organization.write")
    form = status_form(request.form)
    if form.validate():
        try:
            organization_statuses.add(
                org,
                status=form.status.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                note=(form.note.data or "").strip(),
                user=g.principal.user,
            )
        except organizations.TreeError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))
    return _card_with(org, status_form=form)


def _status_of(org, status_id) -> OrganizationStatus:
    row = OrganizationStatus.get_or_none(
        OrganizationStatus.id == status_id, OrganizationStatus.organization == org
    )
    if row is None:
        raise ApiError(404)
    return row


@bp.route("/organizations/<int:org_id>/statuses/<int:status_id>/end", methods=["POST"])
@login_required
def end_status(org_id, status_id):
    org = scoping.organization(org_id, "organization.write")
    row = _status_of(org, status_id)
    form = EndForm(request.form)
    if form.validate():
        try:
            organization_statuses.end(org, row, form.end_date.data, user=g.principal.user)
        except organizations.TreeError as error:
            form.end_date.errors = [error.message]
        else:
            return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))
    return _card_with(org, end_form=form, ending=row.id)


@bp.route("/organizations/<int:org_id>/statuses/<int:status_id>/delete", methods=["POST"])
@login_required
def remove_status(org_id, status_id):
    org = scoping.organization(org_id, "organization.write")
    row = _status_of(org, status_id)
    if not PageForm(request.form).validate():
        raise ApiError(400)
    organization_statuses.remove(org, row, user=g.principal.user)
    return redirect(url_for("organization_pages.card", org_id=org.id, saved=1))
