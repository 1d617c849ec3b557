"""Hypothesis strategies: form definitions, payloads valid by construction, and form data."""

import datetime as dt
import string

from hypothesis import strategies as st

from core.schemas.base import CONTROL

WORD = st.text(alphabet=string.ascii_lowercase + "абвгдежз", min_size=1, max_size=8)
SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
).filter(lambda s: not CONTROL.search(s))
SIMPLE_TYPES = ["text", "textarea", "integer", "decimal", "date", "boolean", "choice",
                "multichoice", "email", "url"]  # fmt: skip


@st.composite
def field_specs(draw, name):
    kind = draw(st.sampled_from(SIMPLE_TYPES))
    spec = {"name": name, "type": kind, "label": f"Поле {name}", "required": draw(st.booleans())}
    if kind == "integer" and draw(st.booleans()):
        low = draw(st.integers(-50, 50))
        spec.update(min=low, max=low + draw(st.integers(0, 100)))
    if kind == "decimal" and draw(st.booleans()):
        spec.update(min=-100, max=100, places=draw(st.integers(0, 3)))
    if kind in ("text", "textarea") and draw(st.booleans()):
        spec["max_length"] = draw(st.integers(1, 20))
    if kind == "date" and draw(st.booleans()):
        spec.update(min="2020-01-01", max="2030-12-31")
    if kind in ("choice", "multichoice"):
        spec["choices"] = draw(st.lists(WORD, min_size=2, max_size=4, unique=True))
    return spec


@st.composite
def definitions(draw):
    count = draw(st.integers(1, 5))
    fields = [draw(field_specs(f"f{i}")) for i in range(count)]
    if draw(st.booleans()):
        columns = [draw(field_specs(f"c{i}")) for i in range(draw(st.integers(1, 3)))]
        table = {"name": "rows", "type": "table", "label": "Таблица", "columns": columns}
        if draw(st.booleans()):
            table["unique"] = [columns[0]["name"]]
        fields.append(table)
    return {
        "code": "generated_"
        + draw(st.text(alphabet=string.ascii_lowercase, min_size=4, max_size=8)),
        "title": "Сгенерированная форма",
        "sections": [{"title": "Раздел", "fields": fields}],
    }


def _choice_values(spec):
    return [c if isinstance(c, str) else c["value"] for c in spec["choices"]]


def _get(spec, key, default):
    value = spec.get(key)
    return default if value is None else value


def valid_value(spec):
    """A strategy of values that satisfy ``spec`` (never blank)."""
    kind = spec["type"]
    if kind in ("text", "textarea"):
        longest = _get(spec, "max_length", 30)
        return SAFE_TEXT.filter(lambda s: s.strip() != "" and len(s) <= longest)
    if kind == "integer":
        return st.integers(_get(spec, "min", -(10**6)), _get(spec, "max", 10**6))
    if kind == "decimal":
        places = spec.get("places")
        low, high = _get(spec, "min", -(10**6)), _get(spec, "max", 10**6)
        numbers = st.integers(int(low) * 100, int(high) * 100).map(lambda n: n / 100)
        if places is not None:
            numbers = numbers.map(lambda x: round(x, places))
        return numbers.filter(lambda x: low <= x <= high)
    if kind == "date":
        low = dt.date.fromisoformat(_get(spec, "min", "1990-01-01"))
        high = dt.date.fromisoformat(_get(spec, "max", "2040-12-31"))
        return st.dates(low, high).map(lambda d: d.isoformat())
    if kind == "boolean":
        return st.booleans()
    if kind == "choice":
        return st.sampled_from(_choice_values(spec))
    if kind == "multichoice":
        return st.lists(st.sampled_from(_choice_values(spec)), min_size=1, unique=True)
    if kind == "email":
        return st.tuples(WORD, WORD).map(lambda p: f"{p[0]}@{p[1]}.ru")
    if kind == "url":
        return WORD.map(lambda w: f"https://{w}.ru/page")
    raise AssertionError(kind)


def invalid_value(spec):
    """A strategy of JSON-typed values that break ``spec`` (or None when none exists)."""
    kind = spec["type"]
    if kind in ("text", "textarea") and spec.get("max_length"):
        return st.just("я" * (spec["max_length"] + 1))
    if kind == "integer" and spec.get("max") is not None:
        return st.integers(spec["max"] + 1, spec["max"] + 100)
    if kind == "date":
        return st.sampled_from(["2024-13-01", "01.09.2024", "2024-02-30"])
    if kind == "choice":
        return st.just("нет-такого-варианта")
    if kind == "email":
        return st.sampled_from(["без собаки", "a@b"])
    if kind == "url":
        return st.sampled_from(["ftp://x.ru", "просто текст"])
    return None


def any_value(spec):
    """Values of the right JSON type, valid or not: for comparing the two paths."""
    bad = invalid_value(spec)
    return valid_value(spec) if bad is None else st.one_of(valid_value(spec), bad)


@st.composite
def payloads(draw, definition, value=valid_value, fill_required=True):
    data = {}
    for field in definition["sections"][0]["fields"]:
        if field["type"] == "table":
            rows = []
            for _ in range(draw(st.integers(0, 3))):
                row = {}
                for column in field["columns"]:
                    if (fill_required and column["required"]) or draw(st.booleans()):
                        row[column["name"]] = draw(value(column))
                rows.append(row)
            rows = _distinct(rows, field.get("unique", [])) if value is valid_value else rows
            if rows:
                data[field["name"]] = rows
        elif (fill_required and field["required"]) or draw(st.booleans()):
            data[field["name"]] = draw(value(field))
    return data


def _key(value):
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return tuple(sorted(value))
    return value


def _distinct(rows, unique_columns):
    """Drop rows repeating a value of a unique column (valid payloads only)."""
    seen = {column: set() for column in unique_columns}
    kept = []
    for row in rows:
        keys = {c: _key(row[c]) for c in unique_columns if c in row}
        if any(keys[c] in seen[c] for c in keys):
            continue
        for c, key in keys.items():
            seen[c].add(key)
        kept.append(row)
    return kept


def as_text(spec, value):
    if spec["type"] == "boolean":
        return "да" if value else "нет"
    if spec["type"] == "decimal":
        return repr(value)
    return str(value)


ROW_MARKER = "__row"  # the hidden input every rendered table row carries


def as_formdata(definition, payload):
    """What a browser would post for ``payload`` (every input of every row present)."""
    from werkzeug.datastructures import MultiDict

    form = MultiDict()
    for field in definition["sections"][0]["fields"]:
        value = payload.get(field["name"])
        if field["type"] == "table":
            for index, row in enumerate(value or []):
                form.add(f"{field['name']}-{index}-{ROW_MARKER}", "1")
                for column in field["columns"]:
                    cell = row.get(column["name"])
                    key = f"{field['name']}-{index}-{column['name']}"
                    if column["type"] == "multichoice":
                        for item in cell or []:
                            form.add(key, item)
                    else:
                        form.add(key, "" if cell is None else as_text(column, cell))
        elif field["type"] == "multichoice":
            for item in value or []:
                form.add(field["name"], item)
        else:
            form.add(field["name"], "" if value is None else as_text(field, value))
    return form
