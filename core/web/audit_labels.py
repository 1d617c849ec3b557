"""Russian names of the audit log's actions and object types, for the journal page.

The log stores English codes (whoever writes an entry picks one); a code no one named here
is shown as it is, so a block's new action is never hidden."""

ACTIONS = {
    "create": "Создание",
    "update": "Изменение",
    "delete": "Удаление",
    "import_create": "Создание при импорте",
    "import_update": "Изменение при импорте",
    "pd_read": "Просмотр персональных данных",
    "pd_erase": "Обезличивание персональных данных",
    "export": "Выгрузка",
    "login_success": "Вход в систему",
    "login_failure": "Неудачная попытка входа",
    "login_locked": "Вход заблокирован",
    "logout": "Выход из системы",
    "grant": "Назначение роли",
    "revoke": "Отзыв роли",
    "plugin_enable": "Включение блока",
    "plugin_disable": "Отключение блока",
    "support_proposal": "Принято предложение поддержки",
    "assign": "Назначение",
    "assign_expert": "Назначение эксперта",
    "complete": "Завершение",
    "change": "Изменение кампании",
    "schedule_open": "Открытие кампании по расписанию",
    "reopen": "Повторное открытие",
    "restore": "Восстановление",
    "demo_loaded": "Загрузка демонстрационных данных",
}

OBJECTS = {
    "staff": "Работник",
    "organization": "Организация",
    "organization_status": "Статус организации",
    "user": "Пользователь",
    "campaign": "Кампания",
    "form_definition": "Форма",
    "submission": "Анкета",
    "checklist_audit": "Аудит по чек-листу",
    "webhook": "Вебхук",
    "schedule_override": "Расписание кампаний",
    "plugin_activation": "Включение блока",
    "block_setting": "Настройки блока",
    "export": "Выгрузка",
    "indicator_target": "Целевое значение показателя",
    "diagnostics_active": "Методический актив",
    "diagnostics_result": "Результат диагностики",
    "diagnostics_route": "Индивидуальный маршрут",
    "diagnostics_step": "Шаг маршрута",
    "mentoring_school_link": "Школа-наставник",
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def object_label(code: str) -> str:
    return OBJECTS.get(code, code) if code else "—"
