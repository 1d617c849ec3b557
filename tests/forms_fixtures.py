"""A monitoring form used across the form-engine tests."""

import datetime as dt

MONITORING = {
    "code": "mentoring_check",
    "title": "Мониторинг наставничества",
    "description": "Ежегодный мониторинг (май)",
    "level": "organization",
    "sections": [
        {
            "title": "Нормативная база",
            "fields": [
                {
                    "name": "act_adopted",
                    "type": "boolean",
                    "label": "Локальный акт принят",
                    "required": True,
                },
                {
                    "name": "act_date",
                    "type": "date",
                    "label": "Дата акта",
                    "required": True,
                    "visible_if": {"field": "act_adopted", "equals": True},
                },
                {"name": "act_number", "type": "text", "label": "Номер акта", "max_length": 20},
            ],
        },
        {
            "title": "Пары",
            "fields": [
                {
                    "name": "pairs_total",
                    "type": "integer",
                    "label": "Всего пар",
                    "min": 0,
                    "required": True,
                },
                {
                    "name": "pairs_teacher",
                    "type": "integer",
                    "label": "Учитель – учитель",
                    "min": 0,
                },
                {"name": "pairs_peer", "type": "integer", "label": "Равный – равному", "min": 0},
                {
                    "name": "form_kind",
                    "type": "choice",
                    "label": "Основная форма",
                    "choices": ["учитель – молодой учитель", "равный – равному", "группа"],
                },
                {
                    "name": "pairs",
                    "type": "table",
                    "label": "Реестр пар",
                    "unique": ["mentee"],
                    "columns": [
                        {"name": "mentor", "type": "staff", "label": "Наставник", "required": True},
                        {
                            "name": "mentee",
                            "type": "staff",
                            "label": "Наставляемый",
                            "required": True,
                        },
                        {"name": "start", "type": "date", "label": "Начало"},
                        {"name": "end", "type": "date", "label": "Окончание"},
                    ],
                },
            ],
        },
    ],
    "rules": [
        {"type": "sum", "parts": ["pairs_teacher", "pairs_peer"], "total": "pairs_total"},
        {"type": "compare", "table": "pairs", "left": "mentor", "op": "!=", "right": "mentee"},
        {"type": "compare", "table": "pairs", "left": "end", "op": ">=", "right": "start"},
    ],
}


def campaign_body(scope_id, **overrides):
    today = dt.date.today()
    body = {
        "form_code": "mentoring_check",
        "title": "Мониторинг наставничества, май",
        "period_kind": "month",
        "period": f"{today.year}-05",
        "scope_id": scope_id,
        "opens_on": (today - dt.timedelta(days=10)).isoformat(),
        "deadline": (today + dt.timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body
