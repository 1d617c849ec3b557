"""The block's forms, as plain data: a result entered by the school (seed 003, 2.1.1),
the teachers' needs questionnaire and the post-event feedback questionnaire (seed 000)."""

from plugins.diagnostics.catalogue import AREAS, PROCEDURES

RESULT = {
    "code": "diagnostics_result",
    "title": "Результат диагностики профессиональных дефицитов",
    "description": "Вносится по каждому педагогу и каждой области компетенций; после "
    "принятия методистом попадает в базу результатов, уровень — по порогам региона.",
    "level": "staff",
    "sections": [
        {
            "title": "Результат",
            "fields": [
                {"name": "procedure", "type": "choice", "label": "Процедура", "required": True,
                 "choices": list(PROCEDURES.values())},
                {"name": "date", "type": "date", "label": "Дата проведения", "required": True},
                {"name": "area", "type": "choice", "label": "Область компетенций",
                 "required": True, "choices": list(AREAS.values())},
                {"name": "score", "type": "decimal", "label": "Результат", "unit": "%",
                 "required": True, "min": 0, "max": 100, "places": 1,
                 "help": "Процент от максимального балла процедуры."},
                {"name": "deficits", "type": "textarea", "label": "Выявленные дефициты",
                 "max_length": 3000,
                 "help": "Темы из каталога региона, каждая с новой строки или через «;»."},
            ],
        }
    ],
}  # fmt: skip

NEEDS = {
    "code": "diagnostics_needs",
    "title": "Анкета профессиональных потребностей педагога",
    "description": "Какие затруднения испытывает педагог и в какой форме хочет их преодолеть.",
    "level": "staff",
    # Every school year: teachers name their needs in the autumn, before routes are planned.
    "schedule": {"every": "year", "opens": "09-15", "deadline": "10-15", "period": "school_year",
                 "audience": ["school", "kindergarten", "additional"]},
    "sections": [
        {
            "title": "Затруднения",
            "fields": [
                {"name": "areas", "type": "multichoice", "label": "Области затруднений",
                 "required": True, "choices": list(AREAS.values())},
                {"name": "topics", "type": "textarea", "label": "Темы, в которых нужна помощь",
                 "max_length": 3000},
            ],
        },
        {
            "title": "Формы поддержки",
            "fields": [
                {"name": "formats", "type": "multichoice", "label": "Предпочтительные формы",
                 "required": True,
                 "choices": ["курсы повышения квалификации", "стажировка", "наставничество",
                             "семинар", "вебинар", "мастер-класс", "самообразование"]},
                {"name": "ready_to_share", "type": "boolean",
                 "label": "Готов(а) делиться опытом (методический актив)"},
                {"name": "comment", "type": "textarea", "label": "Комментарий",
                 "max_length": 2000},
            ],
        },
    ],
}  # fmt: skip

RATING = {"type": "integer", "required": True, "min": 1, "max": 5, "unit": "из 5"}

FEEDBACK = {
    "code": "event_feedback",
    "title": "Анкета по итогам мероприятия",
    "description": "Полезность, актуальность, удовлетворённость содержанием и собственным "
    "участием (по шкале от 1 до 5).",
    "level": "staff",
    "sections": [
        {
            "title": "Мероприятие",
            "fields": [
                {"name": "event", "type": "text", "label": "Мероприятие", "required": True,
                 "max_length": 300},
                {"name": "event_date", "type": "date", "label": "Дата", "required": True},
            ],
        },
        {
            "title": "Оценка",
            "fields": [
                {"name": "usefulness", "label": "Полезность", **RATING},
                {"name": "relevance", "label": "Актуальность", **RATING},
                {"name": "content", "label": "Удовлетворённость содержанием", **RATING},
                {"name": "participation", "label": "Удовлетворённость собственным участием",
                 **RATING},
                {"name": "comment", "type": "textarea", "label": "Предложения",
                 "max_length": 2000},
            ],
        },
    ],
}  # fmt: skip
