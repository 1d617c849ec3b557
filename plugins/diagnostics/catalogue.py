"""The block's vocabulary: competence areas, procedures, levels, route step kinds,
and the deficit topics every region starts with (seed 003, 2.1.1; Р-201 of 27.08.2021)."""

AREAS = {
    "subject": "Предметные компетенции",
    "methodical": "Методические компетенции",
    "psych_ped": "Психолого-педагогические компетенции",
    "communicative": "Коммуникативные компетенции",
    "digital": "Цифровые компетенции",
}

PROCEDURES = {
    "federal": "Федеральная",
    "regional": "Региональная",
    "municipal": "Муниципальная",
    "self": "Самодиагностика",
}

# From best to worst; a score at or above a level's threshold reaches it.
LEVELS = {
    "high": "высокий",
    "elevated": "повышенный",
    "basic": "базовый",
    "low": "низкий",
}

# Percent of the procedure's maximum score; each region may set its own per procedure.
DEFAULT_THRESHOLDS = {"high": 85, "elevated": 65, "basic": 40}

STEP_KINDS = {
    "course": "Курсы повышения квалификации",
    "internship": "Стажировка",
    "mentoring": "Наставничество",
    "self_education": "Самообразование",
    "event": "Методическое мероприятие",
}

STEP_STATUSES = {
    "planned": "запланирован",
    "in_progress": "выполняется",
    "done": "выполнен",
    "cancelled": "отменён",
}

ROUTE_STATUSES = {"active": "реализуется", "completed": "завершён", "cancelled": "отменён"}

ACTIVE_STATUSES = {
    "proposed": "предложен",
    "confirmed": "подтверждён",
    "declined": "отклонён",
    "withdrawn": "исключён",
}

DEFAULT_LOAD_CAP = 3  # open route steps a member of the active supports at once

DEFAULT_DEFICITS = {
    "subject": [
        "Решение олимпиадных и нестандартных задач по предмету",
        "Подготовка обучающихся к ГИА (ОГЭ, ЕГЭ)",
        "Содержание обновлённых ФГОС и ФООП по предмету",
    ],
    "methodical": [
        "Формирование функциональной грамотности обучающихся",
        "Проектирование рабочей программы по ФООП",
        "Формирующее оценивание",
        "Организация проектной и исследовательской деятельности",
    ],
    "psych_ped": [
        "Работа с детьми, испытывающими трудности в обучении",
        "Инклюзивное образование и обучающиеся с ОВЗ",
        "Профилактика конфликтов и деструктивного поведения",
    ],
    "communicative": [
        "Взаимодействие с родителями (законными представителями)",
        "Публичное представление педагогического опыта",
    ],
    "digital": [
        "Использование ФГИС «Моя школа» и цифровых образовательных ресурсов",
        "Организация дистанционного и смешанного обучения",
        "Информационная безопасность в образовательной среде",
    ],
}
