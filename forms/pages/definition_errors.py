"""The engine's error paths of a definition (``sections.1.fields.3.choices``) in Russian
words («раздел 2 → поле 4 → варианты выбора») with the part of the definition they point at."""

import json

CONTAINERS = {
    "sections": "раздел",
    "fields": "поле",
    "columns": "столбец",
    "rules": "правило",
    "choices": "вариант",
    "parts": "слагаемое",
    "unique": "столбец уникальности",
}
KEYS = {
    "code": "код",
    "title": "название",
    "description": "описание",
    "level": "уровень",
    "kind": "вид",
    "version": "версия",
    "sections": "разделы",
    "fields": "поля",
    "columns": "столбцы",
    "rules": "правила",
    "name": "имя",
    "type": "тип",
    "label": "подпись",
    "help": "подсказка",
    "unit": "единица",
    "required": "обязательность",
    "min": "минимум",
    "max": "максимум",
    "min_length": "наименьшая длина",
    "max_length": "наибольшая длина",
    "pattern": "шаблон",
    "choices": "варианты выбора",
    "places": "знаков после запятой",
    "visible_if": "условие показа",
    "field": "поле условия",
    "equals": "значение условия",
    "min_rows": "наименьшее число строк",
    "max_rows": "наибольшее число строк",
    "unique": "уникальные столбцы",
    "left": "левая часть",
    "right": "правая часть",
    "op": "сравнение",
    "parts": "слагаемые",
    "total": "итог",
    "table": "таблица",
    "evidence": "обоснование",
    "_schema": "определение целиком",
}


def in_words(path: str) -> str:
    parts, words = path.split("."), []
    for index, part in enumerate(parts):
        if part.isdigit():
            container = parts[index - 1] if index else ""
            words[-1:] = [f"{CONTAINERS.get(container, 'элемент')} {int(part) + 1}"]
        else:
            words.append(KEYS.get(part, part))
    return " → ".join(words) or "определение целиком"


def excerpt(definition, path: str, limit: int = 1500) -> str:
    """The object the error is in, pretty-printed (the field, the section, the rule...)."""
    node, holder = definition, definition
    for part in path.split("."):
        key = int(part) if part.isdigit() else part
        try:
            child = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            holder = node
        node = child
    shown = node if isinstance(node, dict) else holder
    text = json.dumps(shown, ensure_ascii=False, indent=2)
    return text if len(text) <= limit else text[:limit] + "\n…"


def explained(definition, errors: dict) -> list[dict]:
    """[{"path", "where" (Russian), "messages", "excerpt"}] in the definition's order."""
    return [
        {
            "path": path,
            "where": in_words(path),
            "messages": messages,
            "excerpt": excerpt(definition, path) if isinstance(definition, dict) else "",
        }
        for path, messages in sorted(errors.items(), key=lambda item: _order(item[0]))
    ]


def _order(path):
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.split(".")]
