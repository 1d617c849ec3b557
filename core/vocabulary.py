"""The vocabularies the core and the blocks extend (``register_vocabulary``): organisation
statuses, support kinds, event kinds, activity kinds and personal-data fields.

Codes are English and stored; labels are Russian and shown.  Every entry lives in the
registry, so validation, labels and masking read one place.
"""

from marshmallow import ValidationError

from core.plugin_access import registry
from core.plugins import VOCABULARY_KINDS

KINDS = VOCABULARY_KINDS


def entries(kind: str) -> dict[str, dict]:
    """code → {"code", "label", "owner", ...}; an unknown kind is a KeyError."""
    return registry().vocabulary[kind]


def codes(kind: str) -> list[str]:
    return list(entries(kind))


def labels(kind: str) -> dict[str, str]:
    return {code: entry["label"] for code, entry in entries(kind).items()}


def label(kind: str, code: str) -> str:
    """The Russian label, or the code itself for a value no installed block declares."""
    entry = entries(kind).get(code)
    return entry["label"] if entry else code


def choices(kind: str) -> list[dict]:
    """[{"value": code, "label": Russian}] for a select box or the API."""
    return [{"value": code, "label": entry["label"]} for code, entry in entries(kind).items()]


def one_of(kind: str):
    """A marshmallow validator accepting the codes of ``kind`` declared at request time."""

    def validate(value):
        if value not in entries(kind):
            raise ValidationError("Недопустимое значение.")

    return validate
