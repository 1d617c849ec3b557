"""«Журнал аудита»: the append-only log for administrators and regional operators, filtered
by object, person, action and period, a page at a time; «?staff=ID» lists everything about
one staff record's personal data (reads, changes, exports, erasure).

The page reads through the API's own functions (``core.api.audit_log``): the same scopes
(403 without ``audit.read``), the same filters; values are shown as stored — personal data
was masked when written and stays masked.
"""

import datetime as dt
import math

from flask import Blueprint, render_template, request, url_for
from peewee import fn
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from core import clock
from core.access import ROOT
from core.api.audit_log import entries, readable_scopes
from core.api.pagination import paginate
from core.api.scoping import in_scopes
from core.models import AuditEntry, Organization, User
from core.web.audit_labels import action_label, object_label
from core.web.session import login_required

bp = Blueprint("audit_pages", __name__, template_folder="templates")

PER_PAGE = 50
NOT_A_NUMBER = "Укажите число."


class AuditFilter(Form):
    """The log's filters, sent by GET."""

    class Meta:
        locales = ("ru_RU", "ru")

    object_type = SelectField("Объект", choices=[], validate_choice=False)
    object_id = IntegerField("Номер объекта", [Optional()])
    login = StringField("Пользователь (логин)", [Optional()])
    action = SelectField("Действие", choices=[], validate_choice=False)
    since = DateField("С даты", [Optional()])
    until = DateField("По дату (включительно)", [Optional()])
    staff = IntegerField("Работник №", [Optional()])
    page = IntegerField("Страница", [Optional(), NumberRange(min=1, message="С первой.")])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in (self.object_id, self.staff, self.page):
            if field.raw_data and field.raw_data[0].strip() and field.data is None:
                field.errors[:] = [NOT_A_NUMBER]  # WTForms' own text is English
        for field in (self.since, self.until):
            if field.errors:
                field.errors[:] = ["Укажите дату."]
        return valid


def _distinct(column, scopes) -> list[str]:
    query = AuditEntry.select(fn.DISTINCT(column)).where(in_scopes(AuditEntry.scope_path, scopes))
    return sorted(value for (value,) in query.tuples() if value)


def _zone_place(scopes):
    """The organisation whose time zone the page shows times in (Moscow for the root)."""
    if ROOT in scopes:
        return None
    return Organization.get_or_none(Organization.path == scopes[0])


def _args(form, place) -> tuple[dict, list[str]]:
    """The API's query arguments for the form, and the problems of a login not found."""
    data, args = form.data, {"page": form.page.data or 1, "per_page": PER_PAGE}
    for key in ("object_type", "action"):
        if data[key]:
            args[key] = data[key]
    for key in ("object_id", "staff"):
        if data[key] is not None:
            args[key] = data[key]
    if data["since"]:
        start = dt.datetime.combine(data["since"], dt.time(), clock.zone(place))
        args["since"] = start.astimezone(dt.UTC)
    if data["until"]:
        args["until"] = clock.day_end(data["until"], place)
    login = (data["login"] or "").strip()
    if login:
        user = User.get_or_none(User.login == login)
        if user is None:
            return args, ["Пользователь с таким логином не найден."]
        args["user"] = user.id
    return args, []


def _people(items) -> dict[int, str]:
    ids = {entry.user_id for entry in items if entry.user_id}
    if not ids:
        return {}
    query = User.select(User.id, User.full_name).where(User.id.in_(ids))
    return dict(query.tuples())


@bp.route("/audit-log")
@login_required
def log():
    scopes = readable_scopes()
    form = AuditFilter(request.args)
    actions = _distinct(AuditEntry.action, scopes)
    types = _distinct(AuditEntry.object_type, scopes)
    form.action.choices = [("", "любое")] + [(a, action_label(a)) for a in actions]
    form.object_type.choices = [("", "любой")] + [(t, object_label(t)) for t in types]
    place = _zone_place(scopes)
    zone = clock.zone(place)  # read once: the rows' times need no query each
    page, status, people = None, 200, {}
    if form.validate():
        args, problems = _args(form, place)
        if problems:
            form.login.errors = problems
            status = 422
        else:
            page = paginate(entries(scopes, args), args)
            people = _people(page["items"])
    else:
        status = 422
    return render_template(
        "audit/log.html",
        form=form,
        page=page,
        pages=max(1, math.ceil(page["total"] / PER_PAGE)) if page else 0,
        people=people,
        zone=zone.key,
        local=lambda instant: instant.replace(tzinfo=dt.UTC).astimezone(zone),
        action_label=action_label,
        object_label=object_label,
    ), status


def menu_links(principal) -> list[dict]:
    """«Журнал аудита» for whoever reads the log."""
    if not principal.scopes("audit.read"):
        return []
    return [{"href": url_for("audit_pages.log"), "label": "Журнал аудита", "order": 95}]
