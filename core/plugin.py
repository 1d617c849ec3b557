"""The core service's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl


@hookimpl
def register_url_resolvers():
    """A block's URL naming a staff member belongs to the person's organisation."""
    return {"staff_id": _staff_organization}


def _staff_organization(staff_id):
    from core.models import Organization, StaffMember

    return (
        Organization.select()
        .join(StaffMember, on=(StaffMember.organization == Organization.id))
        .where(StaffMember.id == staff_id)
        .first()
    )


# --- engine ---
# The core's schema and commands.  Its API blueprints are mounted by ``core.api`` itself,
# before any other's, with the authentication every rule relies on.


@hookimpl
def register_migrations():
    return "core.migrations"


@hookimpl
def register_commands(cli):
    from core import cli as commands
    from core.zone_command import organization_group

    for command in (
        organization_group,
        commands.db_group,
        commands.demo_command,
        commands.import_group,
        commands.template_command,
        commands.user_group,
        commands.staff_group,
        commands.backup_command,
        commands.restore_command,
    ):
        cli.add_command(command)


# --- activity ---


@hookimpl
def staff_erased(staff, user):
    """The evidence of a person's activities may name them (a certificate, a link to their
    page): it goes with their data; the records, dates and hours stay for the figures."""
    from core.models import Activity

    cleared = (
        Activity.update(evidence="")
        .where(Activity.staff == staff, Activity.evidence != "")
        .execute()
    )
    return ["core: подтверждения в записях активностей"] if cleared else []


# --- roles ---

# Who may grant what: a role can grant roles of lower or equal rank (the administrator
# role only by an administrator).
ROLES = [
    {"code": "admin", "title": "Администратор", "rank": 5},
    {"code": "regional_operator", "title": "Региональный оператор", "rank": 4},
    {"code": "municipal_methodist", "title": "Муниципальный методист", "rank": 3},
    {"code": "school_coordinator", "title": "Координатор образовательной организации", "rank": 2},
    {"code": "expert", "title": "Эксперт", "rank": 1},
    {"code": "teacher", "title": "Педагог", "rank": 1},
]


@hookimpl
def register_roles():
    return ROLES


# --- permissions ---

ADMIN, OPERATOR, METHODIST = "admin", "regional_operator", "municipal_methodist"
COORDINATOR, EXPERT, TEACHER = "school_coordinator", "expert", "teacher"
MANAGERS = [ADMIN, OPERATOR, METHODIST]
STAFF_KEEPERS = [*MANAGERS, COORDINATOR]


@hookimpl
def register_permissions():
    return [
        {
            "code": "organization.read",
            "title": "Просмотр организаций",
            "roles": [*STAFF_KEEPERS, EXPERT, TEACHER],
        },
        {"code": "organization.write", "title": "Изменение организаций", "roles": MANAGERS},
        {"code": "staff.read", "title": "Просмотр кадрового состава", "roles": STAFF_KEEPERS},
        {"code": "staff.write", "title": "Изменение кадрового состава", "roles": STAFF_KEEPERS},
        # Erasing a person's data on request (152-FZ) is the operator's duty, not a school's.
        {
            "code": "staff.erase",
            "title": "Обезличивание персональных данных",
            "roles": [ADMIN, OPERATOR],
        },
        {"code": "user.read", "title": "Просмотр пользователей", "roles": MANAGERS},
        {"code": "user.write", "title": "Управление пользователями и ролями", "roles": MANAGERS},
        {"code": "plugin.manage", "title": "Включение и отключение блоков", "roles": MANAGERS},
        {
            "code": "settings.manage",
            "title": "Изменение настроек блоков региона",
            "roles": [ADMIN, OPERATOR],
        },
        {"code": "audit.read", "title": "Просмотр журнала аудита", "roles": [ADMIN, OPERATOR]},
        # A school's coordinator keeps its roster and may load it from a file (staff import
        # also needs staff.write, the organisations' import organization.write).
        {"code": "import.run", "title": "Загрузка данных из файлов", "roles": STAFF_KEEPERS},
    ]


# --- vocabulary ---


@hookimpl
def register_vocabulary():
    return {
        "organization_statuses": [
            {"code": "flagship", "label": "Школа-флагман"},
            {"code": "resource_centre", "label": "Ресурсный центр"},
            {"code": "base_school", "label": "Опорная (базовая) школа"},
            {"code": "regional_innovation_site", "label": "Региональная инновационная площадка"},
            {"code": "municipal_innovation_site", "label": "Муниципальная инновационная площадка"},
            {"code": "internship_site", "label": "Стажировочная площадка"},
            {"code": "tochka_rosta", "label": "Центр «Точка роста»"},
            {"code": "low_results", "label": "Школа с низкими образовательными результатами"},
        ],
        "support_kinds": [
            {"code": "course", "label": "Курсы повышения квалификации"},
            {"code": "internship", "label": "Стажировка"},
            {"code": "other", "label": "Другое"},
        ],
        # Masked in the audit log ("object_types": where the key is personal data).
        "personal_data_fields": [
            {"code": "full_name", "label": "ФИО", "object_types": ["staff", "user"]},
            {"code": "code", "label": "Табельный номер", "object_types": ["staff"]},
            {"code": "birth_year", "label": "Год рождения", "object_types": ["staff"]},
            {"code": "associations", "label": "Членство в объединениях", "object_types": ["staff"]},
            {"code": "email", "label": "Электронная почта", "object_types": ["user"]},
        ],
    }


# --- web ---
# The core's own pages in the menu: block settings for whoever may change some, the growth
# profile for a teacher.


@hookimpl
def menu_links(principal):
    from core.web import profile, settings

    return [*profile.menu_links(principal), *settings.menu_links(principal)]


# --- pages: organisations and users ---


@hookimpl(specname="menu_links")
def organisation_and_user_menu_links(principal):
    from core.web import organizations, users

    return [*organizations.menu_links(principal), *users.menu_links(principal)]


# --- pages: staff and audit ---


@hookimpl(specname="menu_links")
def staff_and_audit_menu_links(principal):
    """«Кадры» for whoever reads a roster, «Журнал аудита» for whoever reads the log."""
    from core.web import audit_log, staff

    return [*staff.menu_links(principal), *audit_log.menu_links(principal)]
