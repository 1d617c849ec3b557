"""Russian validation messages for marshmallow.

marshmallow has no translation hook; its messages live in class attributes
that every field and validator merges at construction.  Users of metodnet
read Russian, so the service sets them once, at import, for the process.
"""

from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {
        "required": "Обязательное поле.",
        "null": "Поле не может быть пустым (null).",
        "validator_failed": "Недопустимое значение.",
    },
    fields.String: {"invalid": "Ожидалась строка.", "invalid_utf8": "Строка не в кодировке UTF-8."},
    fields.Number: {"invalid": "Ожидалось число.", "too_large": "Слишком большое число."},
    fields.Integer: {"invalid": "Ожидалось целое число."},
    fields.Float: {"special": "Значения NaN и бесконечность недопустимы."},
    fields.Decimal: {"special": "Значения NaN и бесконечность недопустимы."},
    fields.Boolean: {"invalid": "Ожидалось логическое значение (true или false)."},
    fields.DateTime: {
        "invalid": "Ожидались дата и время в формате ГГГГ-ММ-ДДTчч:мм:сс.",
        "invalid_awareness": "Недопустимый часовой пояс.",
        "format": "Не удалось представить «{input}» как дату и время.",
    },
    fields.Date: {
        "invalid": "Ожидалась дата в формате ГГГГ-ММ-ДД.",
        "format": "Не удалось представить «{input}» как дату.",
    },
    fields.Email: {"invalid": "Некорректный адрес электронной почты."},
    fields.Url: {"invalid": "Некорректный URL."},
    fields.List: {"invalid": "Ожидался список."},
    fields.Nested: {"type": "Ожидался объект."},
    fields.Mapping: {"invalid": "Ожидался объект."},
}

VALIDATOR_MESSAGES = {
    validate.Length: {
        "message_min": "Длина должна быть не меньше {min}.",
        "message_max": "Длина должна быть не больше {max}.",
        "message_all": "Длина должна быть от {min} до {max}.",
        "message_equal": "Длина должна быть равна {equal}.",
    },
    validate.Range: {
        "message_min": "Значение должно быть {min_op} {{min}}.",
        "message_max": "Значение должно быть {max_op} {{max}}.",
        "message_all": "Значение должно быть {min_op} {{min}} и {max_op} {{max}}.",
        "message_gte": "не меньше",
        "message_gt": "больше",
        "message_lte": "не больше",
        "message_lt": "меньше",
    },
    validate.OneOf: {"default_message": "Допустимые значения: {choices}."},
    validate.Regexp: {"default_message": "Значение не соответствует формату."},
    validate.Email: {"default_message": "Некорректный адрес электронной почты."},
    validate.URL: {"default_message": "Некорректный URL."},
    validate.ContainsOnly: {"default_message": "Допустимые значения: {choices}."},
}

SCHEMA_MESSAGES = {"type": "Ожидался объект JSON.", "unknown": "Неизвестное поле."}


def install() -> None:
    for cls, messages in FIELD_MESSAGES.items():
        cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}), **messages}
    for cls, messages in VALIDATOR_MESSAGES.items():
        for attribute, text in messages.items():
            setattr(cls, attribute, text)
    Schema._default_error_messages = {**Schema._default_error_messages, **SCHEMA_MESSAGES}


install()
