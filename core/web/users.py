"""The users pages: the list (scoped as the API's GET /users), an account's card with its
roles, and creating an account with its first role.  Granting, revoking and deactivating
are in user_grants.py, one's own password in password.py.  The checks are the API's own
(core.api.users: visible_user, may_manage, resolve_grant) and the changes go through
core.user_admin, so page and API refuse and record alike."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from peewee import JOIN

from core import access, user_admin, users
from core.api.errors import ApiError
from core.api.users import may_manage, resolve_grant, visible_user
from core.models import Organization, RoleGrant
from core.web.forms import PageForm
from core.web.session import login_required
from core.web.user_forms import (
    GrantForm,
    NewUserForm,
    account_problems,
    grant_body,
    with_choices,
)

bp = Blueprint("user_pages", __name__, template_folder="templates")

PER_PAGE = 50


def grants_of(accounts) -> dict[int, list[RoleGrant]]:
    """Every grant of the listed accounts with its organisation: one query per page."""
    found = {a.id: [] for a in accounts}
    if found:
        rows = (
            RoleGrant.select(RoleGrant, Organization)
            .join(Organization, on=(RoleGrant.scope == Organization.id), join_type=JOIN.LEFT_OUTER)
            .where(RoleGrant.user.in_(list(found)))
            .order_by(RoleGrant.id)
        )
        for row in rows:
            found[row.user_id].append(row)
    return found


def refused_on(form, error: ApiError) -> None:
    """The API's refusal next to the page's field (``grant.scope_id`` → ``scope_id``; a
    refusal by rank goes next to the role)."""
    fields = getattr(error, "fields", None) or {}
    for key, messages in fields.items():
        name = key.rsplit(".", 1)[-1]
        getattr(form, name if hasattr(form, name) else "role").errors = list(messages)
    if not fields:
        form.role.errors = [error.message]


@bp.route("/users")
@login_required
def index():
    if not g.principal.scopes("user.read"):
        raise ApiError(403)
    text = request.args.get("q", "").strip()[:200]
    query = user_admin.visible_users(g.principal, text=text or None)
    page = max(request.args.get("page", 1, type=int), 1)
    total = query.count()
    accounts = list(query.order_by(users.User.login).paginate(page, PER_PAGE))
    return render_template(
        "users/list.html",
        accounts=accounts,
        grants=grants_of(accounts),
        titles=access.role_titles(),
        q=text,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        total=total,
        may_create=bool(g.principal.scopes("user.write")),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def create():
    if not g.principal.scopes("user.write"):
        raise ApiError(403)
    posted = request.method == "POST"
    form = with_choices(NewUserForm(request.form if posted else None), g.principal)
    if posted:
        valid = form.validate()
        if not account_problems(form) and valid:
            try:
                grant = resolve_grant(grant_body(form), "grant")
                account = user_admin.create_account(
                    g.principal.user,
                    login=form.login.data,
                    password=form.password.data,
                    full_name=form.full_name.data.strip(),
                    email=(form.email.data or "").strip(),
                    grants=[grant],
                )
            except ApiError as error:
                refused_on(form, error)
            except users.AccountError as error:
                getattr(form, error.field).errors = [error.message]
            else:
                return redirect(url_for("user_pages.card", user_id=account.id, saved=1))
        return render_template("users/new.html", form=form), 422
    return render_template("users/new.html", form=form)


def card_context(account, grant_form=None) -> dict:
    rows = grants_of([account])[account.id]
    return {
        "account": account,
        "grants": [(row, g.principal.may_grant(row.role, users.grant_path(row))) for row in rows],
        "titles": access.role_titles(),
        "manageable": account.id != g.principal.user.id and may_manage(account),
        "grant_form": grant_form or with_choices(GrantForm(), g.principal),
        "action_form": PageForm(),
    }


@bp.route("/users/<int:user_id>")
@login_required
def card(user_id):
    if not g.principal.scopes("user.read"):
        raise ApiError(404)
    return render_template("users/card.html", **card_context(visible_user(user_id)))


def menu_links(principal) -> list[dict]:
    """«Пользователи» for whoever reads accounts; «Сменить пароль» for everyone."""
    links = [{"href": url_for("password_page.change"), "label": "Сменить пароль", "order": 98}]
    if principal.scopes("user.read"):
        links.append({"href": url_for("user_pages.index"), "label": "Пользователи", "order": 45})
    return links
