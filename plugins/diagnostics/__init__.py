"""Diagnostics of professional deficits (диагностика, ИОМ): a programme block.

Results by competence area with levels from the region's thresholds, deficit and course
catalogues, individual educational routes built from the deficits, the methodical active,
and support matching that ranks mentors and courses for a teacher's deficits.  It speaks
to the core only through hooks; a mentor it proposes reaches the mentoring block through
the core's ``support_proposal_accepted`` event, never by importing it.
"""

from core.hookspecs import hookimpl

NAME = "diagnostics"


@hookimpl
def plugin_info():
    return {
        "name": NAME,
        "title": "Диагностика профессиональных дефицитов и ИОМ",
        "version": "1.0",
        "description": "Результаты диагностики, индивидуальные образовательные маршруты, "
        "методический актив, подбор наставников и курсов по дефицитам.",
    }


@hookimpl
def register_forms():
    from plugins.diagnostics import form_results
    from plugins.diagnostics.declarations import FEEDBACK, NEEDS, RESULT

    return [
        {**RESULT, "check": form_results.check, "on_accepted": form_results.record_accepted},
        NEEDS,
        FEEDBACK,
    ]


@hookimpl
def register_exports():
    from plugins.diagnostics.exports import EXPORTS

    return EXPORTS


@hookimpl
def register_indicators():
    from plugins.diagnostics.indicators import INDICATORS

    return INDICATORS


@hookimpl
def register_blueprints():
    from plugins.diagnostics.api import catalogue, lists, people

    return [catalogue.blp, people.blp, lists.blp]


@hookimpl
def register_url_resolvers():
    from plugins.diagnostics.url_owners import RESOLVERS

    return RESOLVERS


@hookimpl
def register_commands(cli):
    from plugins.diagnostics.commands import diagnostics_group

    cli.add_command(diagnostics_group)


@hookimpl
def register_migrations():
    return "plugins.diagnostics.migrations"


@hookimpl
def support_proposal_accepted(staff, supporter, kind, reason, user):
    """A mentor or internship accepted elsewhere joins the teacher's current route."""
    if kind not in ("mentoring", "internship"):
        return
    from core.activation import is_enabled

    if not is_enabled(staff.organization, NAME):
        return
    from plugins.diagnostics.routes import attach_support

    attach_support(staff, supporter, kind, reason, user)


@hookimpl
def staff_erased(staff, user):
    """Free text about the person goes; results and routes stay with the anonymised record,
    so the block's figures do not change."""
    from plugins.diagnostics.erasure import clear_free_text

    return clear_free_text(staff)


@hookimpl
def generate_scale_data(world):
    from plugins.diagnostics.demo_scale import generate

    return generate(world)


# --- Pages ---------------------------------------------------------------------------


@hookimpl
def register_pages():
    from plugins.diagnostics.pages import blueprint

    return [blueprint()]


@hookimpl
def menu_links(principal):
    from plugins.diagnostics.pages.nav import menu_links as links

    return links(principal)


@hookimpl
def home_widgets(principal):
    from plugins.diagnostics.pages.nav import home_widgets as widgets

    return widgets(principal)


@hookimpl
def staff_profile(staff, principal):
    """The latest results by area and the current route with its progress."""
    from plugins.diagnostics.profile import sections

    return sections(staff, principal)


# --- access: permissions, settings ---

_MANAGERS = ["admin", "regional_operator", "municipal_methodist"]
_STAFF_KEEPERS = [*_MANAGERS, "school_coordinator"]


@hookimpl
def register_permissions():
    return [
        {
            "code": "diagnostics.results.read",
            "title": "Диагностика: результаты и маршруты работников",
            "roles": _STAFF_KEEPERS,
        },
        {
            "code": "diagnostics.results.write",
            "title": "Диагностика: ввод результатов и ведение маршрутов",
            "roles": _STAFF_KEEPERS,
        },
        {
            "code": "diagnostics.results.import",
            "title": "Диагностика: загрузка результатов из файла",
            "roles": _MANAGERS,
        },
        {
            "code": "diagnostics.expert.assign",
            "title": "Диагностика: назначение эксперта",
            "roles": _MANAGERS,
        },
        {
            "code": "diagnostics.support.accept",
            "title": "Диагностика: принятие предложений поддержки",
            "roles": _MANAGERS,
        },
        {
            "code": "diagnostics.active.decide",
            "title": "Диагностика: решения о методическом активе",
            "roles": _MANAGERS,
        },
        {
            "code": "diagnostics.catalogue.manage",
            "title": "Диагностика: каталоги дефицитов и курсов",
            "roles": _MANAGERS,
        },
        {
            "code": "diagnostics.settings.manage",
            "title": "Диагностика: пороги уровней и нагрузка актива",
            "roles": ["admin", "regional_operator"],
        },
    ]


@hookimpl
def register_settings():
    from plugins.diagnostics.settings import DECLARATION

    return DECLARATION


@hookimpl
def demo_data(demo):
    """Diagnostics runs in Klin: results by area and level, routes with steps, the active."""
    from plugins.diagnostics.demo import load

    demo.counts["diagnostics_staff"] = load(demo)
