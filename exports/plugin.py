"""The exports engine's own hook implementations: it declares what it brings (permissions,
commands, migrations, blueprints) through the same hooks as a programme block."""

from core.hookspecs import hookimpl

# --- permissions ---


@hookimpl
def register_permissions():
    return [
        {
            "code": "export.run",
            "title": "Выгрузка отчётов Excel",
            "roles": ["admin", "regional_operator", "municipal_methodist", "school_coordinator"],
        },
        {
            "code": "indicator.read",
            "title": "Просмотр показателей",
            "roles": [
                "admin",
                "regional_operator",
                "municipal_methodist",
                "school_coordinator",
                "expert",
            ],
        },
    ]
