"""Whole-submission validation: required and conditional fields, tables, cross-field rules.

Runs on coerced values (see forms.values) and returns {"path": [messages]}
with dotted paths ("pairs.2.mentor").  Both the JSON and the HTML paths end
here, so they agree by construction.

A draft (``full=False``) is checked for what it holds — types, formats,
ranges, table limits, references — but never for what is missing.
"""

import operator

from forms import messages as msg
from forms.definition import iter_fields
from forms.values import check, is_blank

OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def visible(field, values) -> bool:
    condition = field.get("visible_if")
    if not condition:
        return True
    return values.get(condition["field"]) == condition["equals"]


def _label(fields_by_name, name):
    field = fields_by_name.get(name)
    return field["label"] if field else name


def _check_fields(field_list, values, prefix, full, errors):
    by_name = {f["name"]: f for f in field_list}
    for field in field_list:
        if field["type"] == "table":
            continue
        path = f"{prefix}{field['name']}"
        value = values.get(field["name"])
        shown = visible(field, values)
        if is_blank(value):
            if full and shown and field.get("required"):
                errors.setdefault(path, []).append(msg.REQUIRED)
            continue
        if full and not shown:
            condition = field["visible_if"]
            errors.setdefault(path, []).append(
                msg.HIDDEN_FILLED.format(
                    label=_label(by_name, condition["field"]),
                    value=_shown_value(condition["equals"]),
                )
            )
            continue
        for problem in check(field, value):
            errors.setdefault(path, []).append(problem)


def _shown_value(value):
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return str(value)


def _check_table(field, rows, full, errors):
    path = field["name"]
    rows = rows or []
    if full and field.get("required") and not rows:
        errors.setdefault(path, []).append(msg.REQUIRED)
    if full and field.get("min_rows") and len(rows) < field["min_rows"]:
        errors.setdefault(path, []).append(msg.TOO_FEW_ROWS.format(min=field["min_rows"]))
    if field.get("max_rows") and len(rows) > field["max_rows"]:
        errors.setdefault(path, []).append(msg.TOO_MANY_ROWS.format(max=field["max_rows"]))
    for index, row in enumerate(rows):
        _check_fields(field["columns"], row, f"{path}.{index}.", full, errors)
    for column in field.get("unique", []):
        first_row = {}
        for index, row in enumerate(rows):
            value = row.get(column)
            if is_blank(value):
                continue
            if isinstance(value, str):
                key = value.casefold()
            elif isinstance(value, list):  # a multiple choice: the same set of options
                key = tuple(sorted(value))
            else:
                key = value
            if key in first_row:
                errors.setdefault(f"{path}.{index}.{column}", []).append(
                    msg.DUPLICATE_IN_COLUMN.format(row=first_row[key] + 1)
                )
            else:
                first_row[key] = index


def _apply_rules(definition, values, errors):
    top = {f["name"]: f for f in iter_fields(definition)}
    for rule in definition.get("rules", []):
        if rule.get("table"):
            table = top[rule["table"]]
            columns = {c["name"]: c for c in table["columns"]}
            for index, row in enumerate(values.get(rule["table"]) or []):
                _apply_rule(rule, row, columns, f"{rule['table']}.{index}.", errors)
        else:
            _apply_rule(rule, values, top, "", errors)


def _apply_rule(rule, values, fields_by_name, prefix, errors):
    if rule["type"] == "compare":
        left, right = values.get(rule["left"]), values.get(rule["right"])
        if is_blank(left) or is_blank(right):
            return
        if not OPERATORS[rule["op"]](left, right):
            text = rule.get("message") or msg.COMPARE[rule["op"]].format(
                right=_label(fields_by_name, rule["right"])
            )
            errors.setdefault(f"{prefix}{rule['left']}", []).append(text)
    else:
        parts = [values.get(p) for p in rule["parts"]]
        total = values.get(rule["total"])
        if is_blank(total) or any(is_blank(p) for p in parts):
            return
        actual = sum(parts)
        if abs(actual - total) > 1e-9:
            names = ", ".join(f"«{_label(fields_by_name, p)}»" for p in rule["parts"])
            text = rule.get("message") or msg.SUM.format(parts=names, actual=actual)
            errors.setdefault(f"{prefix}{rule['total']}", []).append(text)


def _check_references(definition, values, refs, errors):
    """Staff and organisation fields must name records the submitter may reference."""
    wanted = []  # (path, kind, id, allow_other)
    for field in iter_fields(definition):
        if field["type"] == "table":
            for index, row in enumerate(values.get(field["name"]) or []):
                for column in field["columns"]:
                    if column["type"] in ("staff", "organization") and row.get(column["name"]):
                        wanted.append(
                            (
                                f"{field['name']}.{index}.{column['name']}",
                                column,
                                row[column["name"]],
                            )
                        )
        elif field["type"] in ("staff", "organization") and values.get(field["name"]):
            wanted.append((field["name"], field, values[field["name"]]))
    if not wanted:
        return
    known = refs(wanted)
    for path, field, value in wanted:
        if (field["type"], field.get("allow_other_organizations", False), value) not in known:
            text = msg.UNKNOWN_STAFF if field["type"] == "staff" else msg.UNKNOWN_ORGANIZATION
            errors.setdefault(path, []).append(text)


def validate(definition, values, *, full, refs=None) -> dict[str, list[str]]:
    """Every problem of ``values`` against ``definition``; {} when it is acceptable."""
    errors: dict[str, list[str]] = {}
    top = list(iter_fields(definition))
    _check_fields(top, values, "", full, errors)
    for field in top:
        if field["type"] == "table":
            _check_table(field, values.get(field["name"]), full, errors)
    if full:
        _apply_rules(definition, values, errors)
    if refs is not None:
        _check_references(definition, values, refs, errors)
    return errors
