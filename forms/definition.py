"""The declaration format of forms and checklists, and its validation.

A definition is plain data (a dict, or JSON/YAML shipped in a plugin)::

    {"code": "mentoring_monitoring", "title": "...", "description": "...",
     "level": "organization" | "staff", "kind": "form" | "checklist",
     "sections": [{"title": "...", "fields": [FIELD, ...]}],
     "rules": [RULE, ...]}

FIELD: {"name", "type", "label", "help", "unit", "required", "min", "max",
"min_length", "max_length", "pattern", "choices", "places", "visible_if":
{"field", "equals"}, "columns" (table), "min_rows", "max_rows", "unique"
(table columns), "allow_other_organizations" (staff)}.

RULE: {"type": "compare", "left", "op", "right", "table"?} or
{"type": "sum", "parts": [...], "total", "table"?}.

Checklists use sections as directions and fields of type "score" (with
"max" points and an evidence text).
"""

import re

from marshmallow import ValidationError, fields, validate, validates_schema

from core.schemas.base import BaseSchema

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

FIELD_TYPES = {
    "text": "Строка",
    "textarea": "Текст",
    "integer": "Целое число",
    "decimal": "Число",
    "date": "Дата",
    "boolean": "Да/нет",
    "choice": "Выбор одного",
    "multichoice": "Выбор нескольких",
    "email": "Электронная почта",
    "url": "Адрес сайта",
    "staff": "Работник организации",
    "organization": "Организация",
    "table": "Таблица",
    "score": "Баллы по критерию",
}
NUMERIC = {"integer", "decimal", "score"}
ORDERED = NUMERIC | {"date"}
TEXTUAL = {"text", "textarea", "email", "url"}
LEVELS = {"organization": "Организация", "staff": "Педагогический работник"}
KINDS = {"form": "Форма", "checklist": "Чек-лист"}
OPS = ("==", "!=", "<", "<=", ">", ">=")

DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 10000, "email": 254, "url": 2000}


class ChoiceSchema(BaseSchema):
    value = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label = fields.String(required=True, validate=validate.Length(min=1, max=500))


class ChoiceField(fields.Field):
    """A choice is "value" (label = value) or {"value", "label"}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and value.strip():
            return {"value": value, "label": value}
        if isinstance(value, dict):
            return ChoiceSchema().load(value)
        raise ValidationError("Вариант — строка или объект {value, label}.")


class VisibleIfSchema(BaseSchema):
    field = fields.String(required=True)
    equals = fields.Raw(required=True, allow_none=False)


class FieldSchema(BaseSchema):
    name = fields.String(
        required=True, validate=validate.Regexp(NAME, error="Имя поля: a-z, 0-9, _.")
    )
    type = fields.String(required=True, validate=validate.OneOf(list(FIELD_TYPES)))
    label = fields.String(required=True, validate=validate.Length(min=1, max=500))
    help = fields.String(load_default="", validate=validate.Length(max=2000))
    unit = fields.String(load_default="", validate=validate.Length(max=50))
    required = fields.Boolean(load_default=False)
    min = fields.Raw(load_default=None, allow_none=True)
    max = fields.Raw(load_default=None, allow_none=True)
    min_length = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    max_length = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    pattern = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    choices = fields.List(ChoiceField(), load_default=None, allow_none=True)
    places = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0, 10))
    visible_if = fields.Nested(VisibleIfSchema, load_default=None, allow_none=True)
    columns = fields.List(fields.Nested(lambda: FieldSchema()), load_default=None, allow_none=True)
    min_rows = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    max_rows = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    unique = fields.List(fields.String(), load_default=list)
    allow_other_organizations = fields.Boolean(load_default=False)
    evidence = fields.Boolean(load_default=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        kind = data["type"]
        errors = {}
        if kind in ("choice", "multichoice"):
            if not data.get("choices"):
                errors["choices"] = ["Укажите варианты выбора."]
            else:
                values = [c["value"] for c in data["choices"]]
                if len(set(values)) != len(values):
                    errors["choices"] = ["Варианты повторяются."]
        elif data.get("choices"):
            errors["choices"] = ["Варианты указываются только для полей выбора."]
        if kind == "table":
            if not data.get("columns"):
                errors["columns"] = ["У таблицы должны быть столбцы."]
            elif any(c["type"] == "table" for c in data["columns"]):
                errors["columns"] = ["Таблица внутри таблицы не поддерживается."]
            else:
                names = [c["name"] for c in data["columns"]]
                if len(set(names)) != len(names):
                    errors["columns"] = ["Имена столбцов повторяются."]
                missing = [u for u in data.get("unique", []) if u not in names]
                if missing:
                    errors["unique"] = [f"Нет столбцов: {', '.join(missing)}."]
        elif data.get("columns") or data.get("unique"):
            errors["columns"] = ["Столбцы указываются только для таблиц."]
        if kind == "score" and not isinstance(data.get("max"), int):
            errors["max"] = ["Для критерия укажите максимальный балл (целое число)."]
        for bound in ("min", "max"):
            value = data.get(bound)
            if value is None:
                continue
            if kind in NUMERIC and (isinstance(value, bool) or not isinstance(value, int | float)):
                errors[bound] = ["Ожидалось число."]
            elif kind == "date" and not _is_date(value):
                errors[bound] = ["Ожидалась дата ГГГГ-ММ-ДД."]
            elif kind not in ORDERED:
                errors[bound] = ["Границы задаются только для чисел и дат."]
        lo, hi = data.get("min"), data.get("max")
        bounds_ok = "min" not in errors and "max" not in errors
        if lo is not None and hi is not None and bounds_ok and lo > hi:
            errors["max"] = ["Максимум меньше минимума."]
        if data.get("pattern") is not None:
            try:
                re.compile(data["pattern"])
            except re.error:
                errors["pattern"] = ["Некорректное регулярное выражение."]
        if errors:
            raise ValidationError(errors)


def _is_date(value):
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
        return isinstance(value, str)
    except (TypeError, ValueError):
        return False


class SectionSchema(BaseSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    fields = fields.List(fields.Nested(FieldSchema), required=True, validate=validate.Length(min=1))


class RuleSchema(BaseSchema):
    type = fields.String(required=True, validate=validate.OneOf(["compare", "sum"]))
    table = fields.String(load_default=None, allow_none=True)
    left = fields.String()
    op = fields.String(validate=validate.OneOf(OPS))
    right = fields.String()
    parts = fields.List(fields.String(), validate=validate.Length(min=2))
    total = fields.String()
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))

    @validates_schema
    def _shape(self, data, **kwargs):
        needed = ("left", "op", "right") if data["type"] == "compare" else ("parts", "total")
        missing = {key: ["Обязательное поле."] for key in needed if key not in data}
        if missing:
            raise ValidationError(missing)


class DefinitionSchema(BaseSchema):
    code = fields.String(required=True, validate=validate.Regexp(CODE, error="Код: a-z, 0-9, _."))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    level = fields.String(load_default="organization", validate=validate.OneOf(list(LEVELS)))
    kind = fields.String(load_default="form", validate=validate.OneOf(list(KINDS)))
    sections = fields.List(
        fields.Nested(SectionSchema), required=True, validate=validate.Length(min=1)
    )
    rules = fields.List(fields.Nested(RuleSchema), load_default=list)
    version = fields.Integer(load_default=None, allow_none=True)  # assigned by the store

    @validates_schema
    def _references(self, data, **kwargs):
        errors = {}
        top = {}
        for s_index, section in enumerate(data.get("sections", [])):
            for f_index, field in enumerate(section["fields"]):
                where = f"sections.{s_index}.fields.{f_index}"
                if field["name"] in top:
                    errors[f"{where}.name"] = [f"Имя «{field['name']}» уже используется."]
                top[field["name"]] = field
                if data.get("kind") == "checklist" and field["type"] != "score":
                    errors[f"{where}.type"] = ["В чек-листе все поля — критерии (score)."]
                if data.get("kind") != "checklist" and field["type"] == "score":
                    errors[f"{where}.type"] = ["Критерии (score) бывают только в чек-листах."]
        for s_index, section in enumerate(data.get("sections", [])):
            for f_index, field in enumerate(section["fields"]):
                where = f"sections.{s_index}.fields.{f_index}"
                _check_visible_if(field, top, f"{where}.visible_if", errors)
                for c_index, column in enumerate(field.get("columns") or []):
                    siblings = {c["name"]: c for c in field["columns"]}
                    _check_visible_if(
                        column, siblings, f"{where}.columns.{c_index}.visible_if", errors
                    )
        for r_index, rule in enumerate(data.get("rules", [])):
            _check_rule(rule, top, f"rules.{r_index}", errors)
        if errors:
            raise ValidationError(errors)


class ChecklistDefinitionSchema(DefinitionSchema):
    """A definition posted to /checklists: the kind defaults to "checklist"."""

    kind = fields.String(load_default="checklist", validate=validate.OneOf(list(KINDS)))


def _check_visible_if(field, scope, where, errors):
    condition = field.get("visible_if")
    if not condition:
        return
    target = scope.get(condition["field"])
    if target is None or target["name"] == field["name"]:
        errors[f"{where}.field"] = [f"Нет поля «{condition['field']}»."]
    elif target["type"] in ("table", "multichoice"):
        errors[f"{where}.field"] = ["Условие может ссылаться только на простое поле."]


def _check_rule(rule, top, where, errors):
    scope = top
    if rule.get("table"):
        table = top.get(rule["table"])
        if table is None or table["type"] != "table":
            errors[f"{where}.table"] = [f"Нет таблицы «{rule['table']}»."]
            return
        scope = {c["name"]: c for c in table["columns"]}
    names = (
        [rule["left"], rule["right"]]
        if rule["type"] == "compare"
        else [*rule["parts"], rule["total"]]
    )
    missing = [n for n in names if n not in scope]
    if missing:
        errors[where] = [f"Нет полей: {', '.join(missing)}."]
        return
    kinds = {scope[n]["type"] for n in names}
    if rule["type"] == "sum" and not kinds <= NUMERIC:
        errors[where] = ["Сумма считается только по числовым полям."]
    if (
        rule["type"] == "compare"
        and rule["op"] not in ("==", "!=")
        and not (kinds <= NUMERIC or kinds == {"date"})
    ):
        errors[where] = ["Сравнивать на больше/меньше можно только числа или даты."]


def load_definition(data) -> dict:
    """Validate a declaration; raises marshmallow.ValidationError naming the bad part."""
    return DefinitionSchema().load(data)


def iter_fields(definition):
    """Top-level fields of a (loaded) definition, in order."""
    for section in definition["sections"]:
        yield from section["fields"]


def field_map(definition) -> dict:
    return {f["name"]: f for f in iter_fields(definition)}
