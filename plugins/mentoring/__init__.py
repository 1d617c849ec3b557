"""Mentoring (наставничество): a complete programme block, and the model for others.

It lives entirely in this folder and speaks to the core only through hooks:
forms and a checklist as data carrying their own callbacks (the rules of a form as its
``"check"``, the register kept from an accepted pairs register as its ``"on_accepted"``,
inside the accepting transaction), its own tables and migrations, indicators, exports
and endpoints.
"""

from core.hookspecs import hookimpl

NAME = "mentoring"


@hookimpl
def plugin_info():
    return {
        "name": NAME,
        "title": "Наставничество",
        "version": "1.0",
        "description": "Наставнические пары, планы молодых педагогов, школы-наставники, "
        "мониторинг целевой модели наставничества.",
    }


@hookimpl
def register_forms():
    from plugins.mentoring.declarations import LABORATORY, MONITORING, PAIRS, PLAN
    from plugins.mentoring.register import sync_from
    from plugins.mentoring.rules import check_laboratory, check_pairs

    return [
        {**PAIRS, "check": check_pairs, "on_accepted": sync_from},
        PLAN,
        MONITORING,
        {**LABORATORY, "check": check_laboratory},
    ]


@hookimpl
def register_checklists():
    from plugins.mentoring.declarations import CHECKLIST

    return [CHECKLIST]


@hookimpl
def register_exports():
    from plugins.mentoring.exports import EXPORTS

    return EXPORTS


@hookimpl
def register_indicators():
    from plugins.mentoring.indicators import INDICATORS

    return INDICATORS


@hookimpl
def register_blueprints():
    from plugins.mentoring.api import blp

    return [blp]


@hookimpl
def register_url_resolvers():
    """A pair's URL (its pages) belongs to the pair's school."""
    return {"pair_id": _pair_organization}


def _pair_organization(pair_id):
    from core.models import Organization
    from plugins.mentoring.models import MentorPair

    return (
        Organization.select()
        .join(MentorPair, on=(MentorPair.organization == Organization.id))
        .where(MentorPair.id == pair_id)
        .first()
    )


@hookimpl
def register_migrations():
    return "plugins.mentoring.migrations"


@hookimpl
def support_proposal_accepted(staff, supporter, kind, reason, user):
    """A proposed mentor becomes a pair in draft ("предложена") for the school to confirm."""
    if kind != "mentoring":
        return
    from core.activation import is_enabled

    if not is_enabled(staff.organization, NAME):
        return
    from plugins.mentoring.register import propose

    propose(staff, supporter, reason)


@hookimpl
def staff_erased(staff, user):
    """A pair's goal describes the mentee's difficulties: it goes with the person's data."""
    from plugins.mentoring.models import MentorPair

    if (
        MentorPair.update(goal="")
        .where(MentorPair.mentee == staff, MentorPair.goal != "")
        .execute()
    ):
        return ["mentoring: цели наставнических пар"]
    return []


@hookimpl
def generate_scale_data(world):
    from plugins.mentoring.demo_scale import generate

    return generate(world)


@hookimpl
def register_pages():
    from plugins.mentoring.pages import bp

    return [bp]


@hookimpl
def menu_links(principal):
    from plugins.mentoring.pages import menu_links

    return menu_links(principal)


@hookimpl
def home_widgets(principal):
    from plugins.mentoring.pages import home_widgets

    return home_widgets(principal)


@hookimpl
def staff_profile(staff, principal):
    """The person's pairs, as mentor and as mentee."""
    from plugins.mentoring.profile import sections

    return sections(staff)


# --- access: permissions, settings, vocabulary ---

_MANAGERS = ["admin", "regional_operator", "municipal_methodist"]


@hookimpl
def register_permissions():
    return [
        {
            "code": "mentoring.pairs.read",
            "title": "Наставничество: просмотр реестра пар",
            "roles": [*_MANAGERS, "school_coordinator"],
        },
        {
            "code": "mentoring.schools.manage",
            "title": "Наставничество: связи школ-наставников",
            "roles": _MANAGERS,
        },
        {
            "code": "mentoring.settings.manage",
            "title": "Наставничество: настройки региона",
            "roles": ["admin", "regional_operator"],
        },
    ]


@hookimpl
def register_settings():
    from plugins.mentoring.settings import DECLARATION

    return DECLARATION


@hookimpl
def register_vocabulary():
    return {
        "organization_statuses": [{"code": "mentor_school", "label": "Школа-наставник"}],
        "support_kinds": [{"code": "mentoring", "label": "Наставничество"}],
    }


@hookimpl
def demo_data(demo):
    """Mentoring runs in Klin: pairs from an accepted September register, the May
    monitoring open with answers in every state, a mentor school."""
    from plugins.mentoring.demo import load

    demo.counts["mentoring_pairs"] = load(demo)
