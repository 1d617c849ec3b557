"""The mentoring block's forms and checklist, as plain data (seed 003, section 2.3)."""

FORMS_OF_MENTORING = [
    "учитель – молодой учитель",
    "равный – равному",
    "групповое",
    "школа – школа",
]
PAIR_STATUSES = ["действует", "завершена", "прекращена"]

PAIRS = {
    "code": "mentoring_pairs",
    "title": "Реестр наставнических пар",
    "description": "Обновляется каждый сентябрь: база молодых педагогов и их наставников.",
    "level": "organization",
    # Opens by itself every 1 September for the school year, 30 days to fill in.
    "schedule": {"every": "year", "opens": "09-01", "deadline_days": 30,
                 "period": "school_year", "audience": ["school"]},
    "sections": [
        {
            "title": "Наставнические пары",
            "fields": [
                {
                    "name": "pairs",
                    "type": "table",
                    "label": "Пары",
                    "required": True,
                    "columns": [
                        {"name": "mentor", "type": "staff", "label": "Наставник", "required": True,
                         "allow_other_organizations": True,
                         "help": "Из другой организации — только для формы «школа – школа»."},
                        {"name": "mentee", "type": "staff", "label": "Наставляемый",
                         "required": True},
                        {"name": "form", "type": "choice", "label": "Форма наставничества",
                         "required": True, "choices": FORMS_OF_MENTORING},
                        {"name": "subject", "type": "text", "label": "Предмет", "max_length": 200},
                        {"name": "start", "type": "date", "label": "Начало", "required": True},
                        {"name": "end", "type": "date", "label": "Окончание (план)"},
                        {"name": "goal", "type": "textarea", "label": "Дефицит или цель",
                         "max_length": 2000},
                        {"name": "status", "type": "choice", "label": "Состояние",
                         "required": True, "choices": PAIR_STATUSES},
                    ],
                }
            ],
        }
    ],
    "rules": [
        {"type": "compare", "table": "pairs", "left": "mentor", "op": "!=", "right": "mentee",
         "message": "Наставник и наставляемый — разные люди."},
        {"type": "compare", "table": "pairs", "left": "end", "op": ">=", "right": "start"},
    ],
}  # fmt: skip

PLAN = {
    "code": "young_teacher_plan",
    "title": "План вхождения молодого педагога в профессию",
    "description": "Индивидуальный план на три года для каждого педагога первых лет работы.",
    "level": "staff",
    "sections": [
        {
            "title": "Мероприятия плана",
            "fields": [
                {
                    "name": "activities",
                    "type": "table",
                    "label": "Мероприятия",
                    "columns": [
                        {"name": "year", "type": "integer", "label": "Год плана", "min": 1,
                         "max": 3, "required": True},
                        {"name": "goal", "type": "text", "label": "Цель", "max_length": 500},
                        {"name": "activity", "type": "choice", "label": "Мероприятие",
                         "required": True,
                         "choices": ["семинар Лаборатории молодого педагога", "открытый урок",
                                     "взаимопосещение уроков", "конкурс", "курсы повышения "
                                     "квалификации", "другое"]},
                        {"name": "planned", "type": "date", "label": "Срок"},
                        {"name": "done", "type": "boolean", "label": "Выполнено"},
                    ],
                }
            ],
        }
    ],
}  # fmt: skip

MONITORING = {
    "code": "mentoring_monitoring",
    "title": "Мониторинг реализации программы наставничества",
    "description": "Ежегодно в мае.",
    "level": "organization",
    # Opens by itself every 1 May, due 31 May, for the calendar year.
    "schedule": {"every": "year", "opens": "05-01", "deadline": "05-31", "period": "year",
                 "audience": ["school"]},
    "sections": [
        {
            "title": "Нормативная база",
            "fields": [
                {"name": "act_adopted", "type": "boolean", "required": True,
                 "label": "Принят локальный акт о наставничестве"},
                {"name": "act_date", "type": "date", "required": True, "label": "Дата акта",
                 "visible_if": {"field": "act_adopted", "equals": True}},
                {"name": "act_number", "type": "text", "required": True, "max_length": 30,
                 "label": "Номер акта", "visible_if": {"field": "act_adopted", "equals": True}},
                {"name": "programme_approved", "type": "boolean", "required": True,
                 "label": "Утверждена программа наставничества"},
            ],
        },
        {
            "title": "Пары и охват",
            "fields": [
                {"name": "pairs_total", "type": "integer", "min": 0, "required": True,
                 "label": "Пар всего"},
                {"name": "pairs_teacher", "type": "integer", "min": 0, "required": True,
                 "label": "«Учитель – молодой учитель»"},
                {"name": "pairs_peer", "type": "integer", "min": 0, "required": True,
                 "label": "«Равный – равному»"},
                {"name": "pairs_group", "type": "integer", "min": 0, "required": True,
                 "label": "Групповое"},
                {"name": "pairs_school", "type": "integer", "min": 0, "required": True,
                 "label": "«Школа – школа»"},
                {"name": "young_covered", "type": "integer", "min": 0, "required": True,
                 "label": "Молодых педагогов охвачено", "unit": "чел."},
                {"name": "incentives", "type": "textarea", "max_length": 3000,
                 "label": "Меры поощрения наставников"},
                {"name": "events_held", "type": "integer", "min": 0,
                 "label": "Проведено мероприятий"},
                {"name": "difficulties", "type": "textarea", "max_length": 3000,
                 "label": "Трудности"},
            ],
        },
    ],
    "rules": [
        {"type": "sum", "parts": ["pairs_teacher", "pairs_peer", "pairs_group", "pairs_school"],
         "total": "pairs_total"},
    ],
}  # fmt: skip

LABORATORY = {
    "code": "young_teachers_lab",
    "title": "Лаборатория молодого педагога: мероприятия",
    "level": "organization",
    "description": "Заполняет муниципальная методическая служба.",
    "sections": [
        {
            "title": "Мероприятия",
            "fields": [
                {
                    "name": "events",
                    "type": "table",
                    "label": "Мероприятия",
                    "unique": ["title"],
                    "columns": [
                        {"name": "title", "type": "text", "label": "Мероприятие",
                         "required": True, "max_length": 300},
                        {"name": "date", "type": "date", "label": "Дата", "required": True},
                        {"name": "format", "type": "choice", "label": "Формат", "required": True,
                         "choices": ["семинар", "мастер-класс", "тренинг", "открытый урок",
                                     "вебинар"]},
                        {"name": "materials", "type": "url", "label": "Материалы (ссылка)"},
                    ],
                },
                {
                    "name": "participants",
                    "type": "table",
                    "label": "Участники",
                    "columns": [
                        {"name": "event", "type": "text", "label": "Мероприятие",
                         "required": True, "max_length": 300},
                        {"name": "staff", "type": "staff", "label": "Участник", "required": True},
                    ],
                },
            ],
        }
    ],
}  # fmt: skip

CHECKLIST = {
    "code": "mentoring_model_audit",
    "title": "Аудит реализации целевой модели наставничества",
    "sections": [
        {
            "title": "Нормативная база",
            "fields": [
                {"name": "local_act", "type": "score", "max": 2,
                 "label": "Принят локальный акт о наставничестве"},
                {"name": "programme", "type": "score", "max": 2,
                 "label": "Утверждена программа наставничества"},
            ],
        },
        {
            "title": "Организация наставничества",
            "fields": [
                {"name": "pairs_for_all", "type": "score", "max": 2,
                 "label": "Пары сформированы для всех молодых педагогов"},
                {"name": "plans", "type": "score", "max": 2,
                 "label": "Есть индивидуальные планы вхождения в профессию"},
                {"name": "workload", "type": "score", "max": 2,
                 "label": "Нагрузка наставников в пределах нормы"},
            ],
        },
        {
            "title": "Результаты",
            "fields": [
                {"name": "monitoring", "type": "score", "max": 2,
                 "label": "Проведён мониторинг программы"},
                {"name": "results_presented", "type": "score", "max": 2,
                 "label": "Результаты представлены педагогическому сообществу"},
            ],
        },
    ],
}  # fmt: skip
