"""«Формы и чек-листы»: the list, one definition with its sections and fields, and adding a
custom one from its JSON (a file or the text box) through ``forms.custom_forms.add`` (the
domain function of POST /api/v1/forms), errors shown beside the part that is wrong."""

import json

from flask import g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from peewee import JOIN
from wtforms import FileField, SelectField, TextAreaField

from core.api.errors import ApiError, flatten
from core.models import Organization
from core.web.forms import PageForm
from core.web.session import login_required
from forms import custom_forms, store
from forms.definition import (
    FIELD_TYPES,
    KINDS,
    LEVELS,
    ChecklistDefinitionSchema,
    DefinitionSchema,
)
from forms.models import FormDefinition
from forms.pages import campaign_form, definition_errors
from forms.pages.views import bp
from forms.visibility import form_visible
from forms.workflow import WorkflowError

MAX_BYTES = 512 * 1024


class DefinitionForm(PageForm):
    kind = SelectField("Вид", choices=list(KINDS.items()))
    scope_id = SelectField("Область", choices=[], coerce=int)
    upload = FileField("Файл определения (JSON)")
    text = TextAreaField("…или текст определения (JSON)")


def _may_manage():
    if not g.principal.scopes("form.manage"):
        raise ApiError(403)


@bp.route("/forms")
@login_required
def catalogue():
    _may_manage()
    rows = (
        FormDefinition.select(FormDefinition, Organization)
        .join(Organization, on=(FormDefinition.scope == Organization.id), join_type=JOIN.LEFT_OUTER)
        .where(FormDefinition.id.in_(store.codes_latest()))
        .order_by(FormDefinition.kind, FormDefinition.title)
    )
    visible = [row for row in rows if form_visible(g.principal, row)]
    return render_template("forms/catalogue.html", rows=visible, KINDS=KINDS, LEVELS=LEVELS)


@bp.route("/forms/<code>")
@login_required
def definition_page(code):
    _may_manage()
    row = store.get(code, request.args.get("version", type=int))
    if row is None or not form_visible(g.principal, row):
        raise ApiError(404)
    return render_template(
        "forms/definition.html", row=row, FIELD_TYPES=FIELD_TYPES, KINDS=KINDS, LEVELS=LEVELS
    )


def _read(form):
    """The posted definition as data, or None with the error beside its field."""
    upload = request.files.get("upload")
    raw = upload.read(MAX_BYTES + 1) if upload and upload.filename else None
    field = form.upload if raw is not None else form.text
    if raw is not None and len(raw) > MAX_BYTES:
        field.errors = ["Файл больше 512 КБ."]
        return None
    try:
        text = raw.decode("utf-8") if raw is not None else (form.text.data or "")
    except UnicodeDecodeError:
        field.errors = ["Файл не в кодировке UTF-8."]
        return None
    if not text.strip():
        form.text.errors = ["Загрузите файл или вставьте текст определения."]
        return None
    form.text.data = text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        field.errors = [f"Это не JSON: строка {error.lineno}, позиция {error.colno}."]
        return None
    if not isinstance(data, dict):
        field.errors = ["Определение — объект JSON в фигурных скобках."]
        return None
    return data


@bp.route("/forms/new", methods=["GET", "POST"])
@login_required
def add_definition():
    _may_manage()
    principal = g.principal
    posted = request.method == "POST"
    form = DefinitionForm(request.form if posted else None)
    form.scope_id.choices = [(o.id, o.name) for o in campaign_form.scopes(principal, "form.manage")]
    problems = []
    if posted and form.validate():
        data = _read(form)
        if data is not None:
            schema = ChecklistDefinitionSchema() if form.kind.data == "checklist" else None
            try:
                definition = (schema or DefinitionSchema()).load(data)
                scope = Organization.get_or_none(Organization.id == form.scope_id.data)
                if scope is None or not principal.can("form.manage", scope.path):
                    raise WorkflowError(422, "validation_error", "", {"scope_id": ["Нет прав."]})
                row, _ = custom_forms.add(principal, form.kind.data, definition, scope)
            except ValidationError as error:
                problems = definition_errors.explained(data, flatten(error.messages))
            except WorkflowError as error:
                for name, messages in error.fields.items():
                    if name == "scope_id":
                        form.scope_id.errors = list(messages)
                    else:
                        problems += definition_errors.explained(data, {name: messages})
            else:
                return redirect(url_for("pages.definition_page", code=row.code))
    status = 422 if posted else 200
    page = render_template("forms/definition_new.html", form=form, problems=problems)
    return page, status
