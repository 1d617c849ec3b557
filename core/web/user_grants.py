"""Granting and revoking a role on a subtree and (de)activating an account through pages:
the API's checks (core.api.users) and changes (core.user_admin)."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from core import user_admin, users
from core.api.errors import ApiError
from core.api.users import check_grants_change, may_manage, resolve_grant, visible_user
from core.models import RoleGrant
from core.web.forms import PageForm
from core.web.session import login_required
from core.web.user_forms import GrantForm, grant_body, with_choices
from core.web.users import card_context, refused_on

bp = Blueprint("user_grant_pages", __name__, template_folder="templates")


def _account(user_id):
    if not g.principal.scopes("user.read"):
        raise ApiError(404)
    return visible_user(user_id)


@bp.route("/users/<int:user_id>/grants", methods=["POST"])
@login_required
def grant(user_id):
    account = _account(user_id)
    check_grants_change(account)
    form = with_choices(GrantForm(request.form), g.principal)
    if form.validate():
        try:
            user_admin.add_grant(
                g.principal.user, account, resolve_grant(grant_body(form), "grant")
            )
        except ApiError as error:
            refused_on(form, error)
        else:
            return redirect(url_for("user_pages.card", user_id=account.id, saved=1))
    return render_template("users/card.html", **card_context(account, form)), 422


@bp.route("/users/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
@login_required
def revoke(user_id, grant_id):
    account = _account(user_id)
    row = RoleGrant.get_or_none(RoleGrant.id == grant_id, RoleGrant.user == account)
    if row is None:
        raise ApiError(404)
    if not PageForm(request.form).validate():
        raise ApiError(400)
    check_grants_change(account)
    if not g.principal.may_grant(row.role, users.grant_path(row)):
        raise ApiError(403)
    user_admin.revoke_grant(g.principal.user, account, row)
    return redirect(url_for("user_pages.card", user_id=account.id, saved=1))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id):
    """Deactivate (every session and token ends) or reactivate an account."""
    account = _account(user_id)
    if account.id == g.principal.user.id or not may_manage(account):
        raise ApiError(403)
    if not PageForm(request.form).validate():
        raise ApiError(400)
    active = request.form.get("active") == "1"
    user_admin.update_account(g.principal.user, account, {"active": active})
    return redirect(url_for("user_pages.card", user_id=account.id, saved=1))
