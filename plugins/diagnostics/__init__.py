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
    from plugins.diagnostics.declarations import FEEDBACK, NEEDS, RESULT

    return [RESULT, NEEDS, FEEDBACK]


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
def register_commands(cli):
    from plugins.diagnostics.commands import diagnostics_group

    cli.add_command(diagnostics_group)


@hookimpl
def register_migrations():
    return "plugins.diagnostics.migrations"


@hookimpl
def check_submission(campaign, organization, data, full):
    from plugins.diagnostics import form_results

    if campaign.form.plugin != NAME or campaign.form.code != form_results.CODE:
        return None
    return form_results.check(organization, data)


@hookimpl
def submission_state_changed(submission, old_state, new_state, user):
    """An accepted result form becomes a result in the base (level from the thresholds)."""
    form = submission.campaign.form
    if new_state != "accepted" or form.plugin != NAME or submission.staff_id is None:
        return
    from plugins.diagnostics import form_results
    from plugins.diagnostics.results import record

    if form.code == form_results.CODE:
        record(submission.staff, form_results.values(submission), user=user, source="form")


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


@hookimpl
def demo_data(demo):
    """Diagnostics runs in Klin: results by area and level, routes with steps, the active."""
    from plugins.diagnostics.demo import load

    demo.counts["diagnostics_staff"] = load(demo)
