"""The staff roster pages «Кадры»: the list of an organisation (of its whole subtree above a
school) with search, filters and pages; add, edit and dismiss a person.

Everything goes through the API's own functions (``core.api.staff``): the list is
``roster_page`` (the same scope, filters and personal-data read entry "via list"), a new
person is ``create_member`` and a change or a dismissal ``change_member`` — so the audit
entry and the ``staff_changed`` event come from the domain (``core.staff``), whoever asks.
Input is loaded with the API's schemas too; their messages are shown next to the fields.
"""

import math

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from peewee import fn
from wtforms import BooleanField, Form, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from core import clock
from core.access import ROOT
from core.api import scoping
from core.api.errors import ApiError
from core.api.staff import change_member, create_member, roster_page, staff_for
from core.models import Organization, StaffMember
from core.models.organization import in_subtree
from core.models.staff import CATEGORIES
from core.schemas.staff import StaffPatchSchema, StaffSchema
from core.staff import STAFF_KINDS
from core.web.session import login_required
from core.web.staff_form import StaffForm, body_of, show_errors

bp = Blueprint("staff_pages", __name__, url_prefix="/staff", template_folder="templates")

PER_PAGE = 25
YOUNG_AGE = 35  # "under 35": the age reached in the period year is below it
NOVICE_YEARS = 3  # "the first three years": 0, 1 or 2 completed years in the period year
ACTIVE_CHOICES = [("yes", "Работают"), ("no", "Уволены"), ("all", "Все")]


class RosterFilter(Form):
    """The list's search and filters, sent by GET (no CSRF: nothing changes)."""

    class Meta:
        locales = ("ru_RU", "ru")

    q = StringField("ФИО или табельный номер", [Optional()])
    position = SelectField("Должность", choices=[], validate_choice=False)
    subject = StringField("Предмет", [Optional()])
    young = BooleanField(f"Моложе {YOUNG_AGE} лет")
    novice = BooleanField("Первые три года работы")
    active = SelectField("Состояние", choices=ACTIVE_CHOICES, default="yes")
    year = IntegerField(
        "Год периода", [Optional(), NumberRange(1900, 2100, "Год между 1900 и 2100.")]
    )
    page = IntegerField("Страница", [Optional(), NumberRange(min=1, message="С первой.")])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in (self.year, self.page):
            if field.raw_data and field.raw_data[0].strip() and field.data is None:
                field.errors[:] = ["Укажите год числом, например 2025."]  # not WTForms' English
        return valid


def places(principal) -> list[Organization]:
    """The topmost organisations whose roster the person reads (the regions for a root
    grant), by name."""
    scopes = principal.scopes("staff.read")
    query = Organization.select()
    if ROOT in scopes:
        query = query.where(Organization.kind == "region")
    elif scopes:
        query = query.where(Organization.path.in_(scopes))
    else:
        return []
    return list(query.order_by(Organization.name))


def _positions(org, subtree) -> list[str]:
    query = StaffMember.select(fn.DISTINCT(StaffMember.position)).join(Organization)
    if subtree:
        query = query.where(in_subtree(Organization.path, org.path))
    else:
        query = query.where(StaffMember.organization == org)
    return sorted(p for (p,) in query.tuples())


def _args(form, org, subtree) -> dict:
    """The API's list arguments for the form's values."""
    data = form.data
    year = data["year"] or clock.today(org).year
    args = {"page": data["page"] or 1, "per_page": PER_PAGE, "subtree": subtree, "as_of": year}
    if data["active"] != "all":
        args["active"] = data["active"] == "yes"
    for key in ("q", "position", "subject"):
        if (data[key] or "").strip():
            args[key] = data[key].strip()
    if data["young"]:
        args["under_age"] = YOUNG_AGE
    if data["novice"]:
        args["experience_below"] = NOVICE_YEARS
    return args


@bp.route("")
@login_required
def index():
    """Where the person keeps or reads a roster; with only one place, straight to it."""
    found = places(g.principal)
    if not found:
        raise ApiError(403)
    if len(found) == 1:
        return redirect(url_for("staff_pages.roster", org_id=found[0].id))
    return render_template("staff/index.html", places=found)


@bp.route("/organizations/<int:org_id>")
@login_required
def roster(org_id):
    org = scoping.organization(org_id, "staff.read")
    subtree = org.kind not in STAFF_KINDS
    form = RosterFilter(request.args)
    form.position.choices = [("", "любая")] + [(p, p) for p in _positions(org, subtree)]
    page, pages, status = None, 0, 200
    if form.validate():
        page = roster_page(org, _args(form, org, subtree))
        pages = max(1, math.ceil(page["total"] / PER_PAGE))
    else:
        status = 422
    return render_template(
        "staff/roster.html",
        org=org,
        form=form,
        page=page,
        pages=pages,
        subtree=subtree,
        categories=CATEGORIES,
        year=form.year.data or clock.today(org).year,
        may_write=g.principal.can("staff.write", org.path),
        may_import=_may_import(org),
        may_audit=bool(g.principal.scopes("audit.read")),
    ), status


def _may_import(org) -> bool:
    return g.principal.can("import.run", org.path) and g.principal.can("staff.write", org.path)


def _targets(org) -> list[Organization]:
    """Where a new person may be added from ``org``'s roster: itself, or the organisations
    keeping a roster under it, where the person may change it."""
    if org.kind in STAFF_KINDS:
        return [org]
    query = Organization.select().where(
        in_subtree(Organization.path, org.path), Organization.kind.in_(STAFF_KINDS)
    )
    return [o for o in query.order_by(Organization.name) if g.principal.can("staff.write", o.path)]


@bp.route("/organizations/<int:org_id>/new", methods=["GET", "POST"])
@login_required
def add(org_id):
    org = scoping.organization(org_id, "staff.write")
    targets = {o.id: o for o in _targets(org)}
    form = StaffForm(request.form if request.method == "POST" else None, active=True)
    form.organization_id.choices = [(o.id, o.name) for o in targets.values()]
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                body = StaffSchema().load(body_of(form, with_active=False))
                staff = create_member(targets[form.organization_id.data], body, g.principal.user)
            except (ValidationError, ApiError) as error:
                show_errors(form, error)
            else:
                flash(f"Работник «{staff.full_name}» добавлен.")
                return redirect(url_for("staff_pages.roster", org_id=org.id))
        status = 422
    return render_template("staff/edit.html", org=org, form=form, staff=None), status


@bp.route("/<int:staff_id>/edit", methods=["GET", "POST"])
@login_required
def edit(staff_id):
    staff = staff_for(staff_id, "staff.write")
    org = staff.organization
    posted = request.method == "POST"
    form = StaffForm(request.form if posted else None, obj=None if posted else staff)
    form.organization_id.choices = [(org.id, org.name)]
    if not posted:
        form.organization_id.data = org.id
        form.subjects.data = "; ".join(staff.subjects)
        form.associations.data = "; ".join(staff.associations)
    status = 200
    if posted:
        if form.validate():
            try:
                body = StaffPatchSchema().load(body_of(form, with_active=True))
                change_member(staff, body, g.principal.user)
            except (ValidationError, ApiError) as error:
                show_errors(form, error)
            else:
                flash(f"Изменения сохранены: «{staff.full_name}».")
                return redirect(url_for("staff_pages.roster", org_id=org.id))
        status = 422
    return render_template("staff/edit.html", org=org, form=form, staff=staff), status


@bp.route("/<int:staff_id>/dismiss", methods=["POST"])
@login_required
def dismiss(staff_id):
    """«Уволить»: the record stays (the figures of past periods count it), inactive."""
    staff = staff_for(staff_id, "staff.write")
    change_member(staff, {"active": False}, g.principal.user)
    flash(f"Работник «{staff.full_name}» уволен.")
    return redirect(url_for("staff_pages.roster", org_id=staff.organization_id))


def menu_links(principal) -> list[dict]:
    """«Кадры» for whoever reads a roster."""
    if not principal.scopes("staff.read"):
        return []
    return [{"href": url_for("staff_pages.index"), "label": "Кадры", "order": 20}]
