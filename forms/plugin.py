"""The forms engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- permissions ---

_MANAGERS = ["admin", "regional_operator", "municipal_methodist"]


@hookimpl
def register_permissions():
    return [
        {"code": "form.manage", "title": "Ведение форм", "roles": _MANAGERS},
        {"code": "campaign.manage", "title": "Проведение кампаний сбора", "roles": _MANAGERS},
        {
            "code": "submission.fill",
            "title": "Заполнение форм организации",
            "roles": ["admin", "school_coordinator"],
        },
        {"code": "submission.review", "title": "Проверка ответов", "roles": _MANAGERS},
        {"code": "audit.manage", "title": "Проведение аудитов", "roles": _MANAGERS},
        {
            "code": "audit.self",
            "title": "Самообследование организации",
            "roles": ["admin", "school_coordinator"],
        },
        {"code": "audit.expert", "title": "Экспертная оценка", "roles": ["expert"]},
        {
            "code": "webhook.manage",
            "title": "Настройка веб-хуков",
            "roles": ["admin", "regional_operator"],
        },
    ]
