"""Compile a form definition into a WTForms form (the HTML path).

WTForms renders the inputs and collects what the browser sent; coercion and
every check come from forms.values and forms.rules, the same code the JSON
path runs, so both give the same verdict and the same messages.
"""

from markupsafe import Markup, escape
from wtforms import Form, FormField
from wtforms.fields import Field, FieldList, SubmitField
from wtforms.widgets import (
    DateInput,
    EmailInput,
    NumberInput,
    TextArea,
    TextInput,
    URLInput,
    html_params,
)

from forms.definition import iter_fields
from forms.rules import validate
from forms.values import Invalid, from_text


class MultiCheckbox:
    """Checkboxes for a multiple choice: works without JavaScript."""

    def __call__(self, field, **kwargs):
        selected = set(field.raw if field.raw is not None else field.data or [])
        items = []
        for index, choice in enumerate(field.spec["choices"]):
            box_id = escape(f"{field.id}-{index}")
            checked = " checked" if choice["value"] in selected else ""
            items.append(
                f'<li><input type="checkbox" id="{box_id}" name="{escape(field.name)}" '
                f'value="{escape(choice["value"])}"{checked}> '
                f'<label for="{box_id}">{escape(choice["label"])}</label></li>'
            )
        return Markup(f'<ul id="{escape(field.id)}" class="choices">{"".join(items)}</ul>')


class ChoiceSelect:
    """A <select> over the field's options (WTForms' Select expects its own field classes)."""

    def __call__(self, field, **kwargs):
        options = []
        for value, label, selected in field.options_with_state():
            chosen = " selected" if selected else ""
            options.append(f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>')
        attrs = html_params(id=field.id, name=field.name, **kwargs)
        return Markup(f"<select {attrs}>{''.join(options)}</select>")


WIDGETS = {
    "text": TextInput,
    "textarea": TextArea,
    "email": EmailInput,
    "url": URLInput,
    "integer": NumberInput,
    "decimal": TextInput,
    "date": DateInput,
    "staff": ChoiceSelect,
    "organization": NumberInput,
    "choice": ChoiceSelect,
    "boolean": ChoiceSelect,  # with an empty option: "not answered" stays distinct
    "multichoice": MultiCheckbox,
}


class DeclaredField(Field):
    """A form field declared as data; holds the raw text and the coerced value."""

    def __init__(self, spec, options=None, **kwargs):
        self.spec = spec
        super().__init__(
            label=spec["label"],
            description=spec.get("help", ""),
            widget=WIDGETS[spec["type"]](),
            **kwargs,
        )
        self.options = options or []
        self.coerced = None
        self.raw = None

    def options_with_state(self):
        """(value, label, selected) for the select widget."""
        current = self.raw if self.raw is not None else _as_text(self.spec, self.data)
        if self.spec["type"] == "boolean":
            items = [("", "—"), ("да", "да"), ("нет", "нет")]
        elif self.spec["type"] == "staff":
            items = [("", "—"), *[(str(value), label) for value, label in self.options]]
        else:
            items = [("", "—"), *[(c["value"], c["label"]) for c in self.spec["choices"]]]
        for value, label in items:
            yield (value, label, value == (current or ""))

    def process_formdata(self, valuelist):
        if self.spec["type"] == "multichoice":
            self.raw = list(valuelist)
        else:
            self.raw = valuelist[0] if valuelist else None

    def _value(self):
        if self.raw is not None:
            return self.raw
        return _as_text(self.spec, self.data) or ""

    def coerce(self):
        """Coerce the raw input; returns the stored value, records messages on failure."""
        try:
            self.coerced = from_text(self.spec, self.raw)
        except Invalid as error:
            self.errors = list(error.messages)
            self.coerced = None
            return None
        return self.coerced


def _as_text(spec, value):
    if value is None:
        return ""
    if spec["type"] == "boolean":
        return "да" if value else "нет"
    if spec["type"] == "multichoice":
        return value
    return str(value)


def _form_class(name, field_specs, options):
    attrs = {}
    for spec in field_specs:
        if spec["type"] == "table":
            row_form = _form_class(f"{name}_{spec['name']}", spec["columns"], options)
            attrs[spec["name"]] = FieldList(FormField(row_form), label=spec["label"], min_entries=0)
            attrs[f"add__{spec['name']}"] = SubmitField("Добавить строку")
        else:
            attrs[spec["name"]] = _bound(spec, options)
    return type(name, (Form,), attrs)


def _bound(spec, options):
    from wtforms.fields.core import UnboundField

    return UnboundField(DeclaredField, spec, options=options.get(spec["name"]))


def build_form_class(definition, options=None):
    """The WTForms class of ``definition``; ``options`` feed selects (e.g. staff lists)."""
    return _form_class(f"Form_{definition['code']}", list(iter_fields(definition)), options or {})


def make_form(definition, formdata=None, data=None, options=None, extra_rows=None):
    """A form bound to submitted ``formdata`` or to stored ``data`` (for display)."""
    cls = build_form_class(definition, options)
    form = cls(formdata=formdata)
    if formdata is None and data:
        _fill(form, definition, data)
    for name, count in (extra_rows or {}).items():
        for _ in range(count):
            getattr(form, name).append_entry()
    return form


def _fill(form, definition, data):
    for spec in iter_fields(definition):
        field = getattr(form, spec["name"])
        if spec["type"] == "table":
            for row in data.get(spec["name"]) or []:
                entry = field.append_entry()
                for column in spec["columns"]:
                    getattr(entry.form, column["name"]).data = row.get(column["name"])
        else:
            field.data = data.get(spec["name"])


def collect(form, definition):
    """Coerce every input; returns (values, coercion errors by dotted path)."""
    values, errors = {}, {}
    for spec in iter_fields(definition):
        field = getattr(form, spec["name"])
        if spec["type"] == "table":
            rows = []
            for index, entry in enumerate(field.entries):
                row = {}
                for column in spec["columns"]:
                    inner = getattr(entry.form, column["name"])
                    value = inner.coerce()
                    if inner.errors:
                        errors[f"{spec['name']}.{index}.{column['name']}"] = list(inner.errors)
                    elif value is not None:
                        row[column["name"]] = value
                rows.append(row)
            if rows:
                values[spec["name"]] = rows
        else:
            value = field.coerce()
            if field.errors:
                errors[spec["name"]] = list(field.errors)
            elif value is not None:
                values[spec["name"]] = value
    return values, errors


def html_validate(form, definition, *, full, refs=None):
    """(values, errors) for a posted form: coercion errors first, then the shared rules."""
    values, errors = collect(form, definition)
    if not errors:
        errors = validate(definition, values, full=full, refs=refs)
    return values, errors
