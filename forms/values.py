"""One field's value: coercion from JSON or from an HTML input, and its checks.

Both paths (marshmallow for JSON, WTForms for HTML) call these functions, so
a value gets the same verdict and the same Russian message either way.
Coercion produces the stored (JSON-native) value; checks return messages.
"""

import datetime as dt
import re
from urllib.parse import urlparse

from core.schemas.base import text_problem
from forms import messages as msg
from forms.definition import DEFAULT_MAX_LENGTH, TEXTUAL


class Invalid(ValueError):
    """A value that cannot be coerced; ``messages`` say why."""

    def __init__(self, *messages):
        super().__init__(messages[0])
        self.messages = list(messages)


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def from_json(field, value):
    """Coerce a JSON value for ``field`` (None means not filled)."""
    kind = field["type"]
    if value is None:
        return None
    if kind in TEXTUAL:
        if not isinstance(value, str):
            raise Invalid(msg.NOT_TEXT)
        return value
    if kind in ("integer", "staff", "organization"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise Invalid(msg.NOT_INTEGER)
        return value
    if kind == "decimal":
        if not _is_number(value) or value != value or value in (float("inf"), float("-inf")):
            raise Invalid(msg.NOT_NUMBER)
        return value
    if kind == "date":
        if not isinstance(value, str):
            raise Invalid(msg.NOT_DATE)
        return _date_text(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise Invalid(msg.NOT_BOOLEAN)
        return value
    if kind == "choice":
        if not isinstance(value, str):
            raise Invalid(msg.BAD_CHOICE)
        return value
    if kind == "multichoice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Invalid(msg.NOT_LIST)
        return value
    if kind == "score":
        return _score(value)
    raise Invalid(msg.NOT_TEXT)  # tables are handled by the schema builders


def from_text(field, raw):
    """Coerce what an HTML input sent (a string, or a list for multichoice)."""
    kind = field["type"]
    if kind == "multichoice":
        values = [v for v in (raw or []) if v != ""]
        return values or None
    if raw is None:
        return None
    text = raw.strip() if kind not in ("text", "textarea") else raw
    if text.strip() == "":
        return None
    if kind in TEXTUAL or kind == "choice":
        return text
    if kind in ("integer", "staff", "organization"):
        try:
            return int(text.strip())
        except ValueError:
            raise Invalid(msg.NOT_INTEGER) from None
    if kind == "decimal":
        try:
            number = float(text.strip().replace(",", ".").replace(" ", ""))
        except ValueError:
            raise Invalid(msg.NOT_NUMBER) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise Invalid(msg.NOT_NUMBER)
        return (
            int(number) if number.is_integer() and "." not in text and "," not in text else number
        )
    if kind == "date":
        return _date_text(text.strip())
    if kind == "boolean":
        word = text.strip().lower()
        if word in ("да", "true", "1", "on", "y"):
            return True
        if word in ("нет", "false", "0", "off", "n"):
            return False
        raise Invalid(msg.NOT_BOOLEAN)
    raise Invalid(msg.NOT_TEXT)


def _date_text(value):
    try:
        if len(value) != 10:
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(msg.NOT_DATE) from None
    return value


def _score(value):
    if not isinstance(value, dict) or set(value) - {"score", "evidence"}:
        raise Invalid("Ожидался объект {score, evidence}.")
    score = value.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int)):
        raise Invalid(msg.NOT_INTEGER)
    evidence = value.get("evidence", "")
    if not isinstance(evidence, str):
        raise Invalid(msg.NOT_TEXT)
    return {"score": score, "evidence": evidence}


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list):
        return len(value) == 0
    if isinstance(value, dict) and "score" in value:
        return value["score"] is None
    return False


def check(field, value) -> list[str]:
    """Messages for a coerced, non-blank value of ``field`` (empty list: fine)."""
    kind = field["type"]
    problems = []
    if kind in TEXTUAL:
        if unstorable := text_problem(value):
            return [unstorable]
        longest = field.get("max_length") or DEFAULT_MAX_LENGTH[kind]
        if field.get("min_length") and len(value) < field["min_length"]:
            problems.append(msg.TOO_SHORT.format(min=field["min_length"]))
        if len(value) > longest:
            problems.append(msg.TOO_LONG.format(max=longest))
        if kind == "email" and not EMAIL.match(value):
            problems.append(msg.BAD_EMAIL)
        if kind == "url":
            parts = urlparse(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(msg.BAD_URL)
        if field.get("pattern") and not re.fullmatch(field["pattern"], value):
            problems.append(msg.BAD_PATTERN)
    elif kind in ("integer", "decimal", "date"):
        if field.get("min") is not None and value < field["min"]:
            problems.append(msg.TOO_SMALL.format(min=field["min"]))
        if field.get("max") is not None and value > field["max"]:
            problems.append(msg.TOO_LARGE.format(max=field["max"]))
        if kind == "decimal" and field.get("places") is not None:
            text = repr(float(value))
            decimals = len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0
            if decimals > field["places"]:
                problems.append(msg.TOO_MANY_DECIMALS.format(places=field["places"]))
    elif kind == "choice":
        if value not in {c["value"] for c in field["choices"]}:
            problems.append(msg.BAD_CHOICE)
    elif kind == "multichoice":
        allowed = {c["value"] for c in field["choices"]}
        if any(v not in allowed for v in value) or len(set(value)) != len(value):
            problems.append(msg.BAD_CHOICE)
    elif kind == "score":
        if value["score"] is not None and not 0 <= value["score"] <= field["max"]:
            problems.append(f"Балл от 0 до {field['max']}.")
        if unstorable := text_problem(value.get("evidence", "")):
            problems.append(unstorable)
        if len(value.get("evidence", "")) > 10000:
            problems.append(msg.TOO_LONG.format(max=10000))
    return problems
