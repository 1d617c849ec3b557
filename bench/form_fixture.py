"""The benchmark's forms: N fields cycling through the common types, and a valid answer.

The product stores the definition and validates answers with its form engine; the
baseline builds a marshmallow schema for the same fields by hand (bench/baseline_app.py).
"""

import datetime as dt

TYPES = ("integer", "text", "boolean", "choice", "date", "decimal")
CHOICES = ["да", "нет", "частично"]


def field(i: int) -> dict:
    kind = TYPES[i % len(TYPES)]
    spec = {"name": f"f{i:03d}", "type": kind, "label": f"Показатель {i}", "required": True}
    if kind == "integer":
        spec.update(min=0, max=100_000)
    elif kind == "decimal":
        spec.update(min=0, max=1_000_000, places=2)
    elif kind == "text":
        spec["max_length"] = 200
    elif kind == "choice":
        spec["choices"] = CHOICES
    return spec


def definition(n: int) -> dict:
    return {
        "code": f"bench_form_{n}",
        "title": f"Форма из {n} полей (бенчмарк)",
        "level": "organization",
        "sections": [
            {"title": f"Раздел {s + 1}", "fields": [field(i) for i in range(s, n, 10)]}
            for s in range(min(n, 10))
        ],
    }


def answer(n: int) -> dict:
    values = {
        "integer": lambda i: i * 7,
        "decimal": lambda i: round(i * 1.25, 2),
        "text": lambda i: f"Ответ на вопрос {i}: педагоги прошли курсы",
        "boolean": lambda i: i % 4 == 0,
        "choice": lambda i: CHOICES[i % 3],
        "date": lambda i: (dt.date(2025, 1, 1) + dt.timedelta(days=i)).isoformat(),
    }
    return {f"f{i:03d}": values[TYPES[i % len(TYPES)]](i) for i in range(n)}
