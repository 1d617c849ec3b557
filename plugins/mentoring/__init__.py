"""Mentoring (наставничество): a complete programme block, and the model for others.

It lives entirely in this folder and speaks to the core only through hooks:
forms and a checklist as data, its own tables and migrations, its own rules
(``check_submission``), a register kept from accepted submissions
(``submission_state_changed``), indicators, exports and endpoints.
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

    return [PAIRS, PLAN, MONITORING, LABORATORY]


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
    from plugins.mentoring.api import blp, settings_blp

    return [blp, settings_blp]


@hookimpl
def register_migrations():
    return "plugins.mentoring.migrations"


@hookimpl
def check_submission(campaign, organization, data, full):
    from plugins.mentoring.rules import CHECKS

    check = CHECKS.get(campaign.form.code)
    if check is None or campaign.form.plugin != NAME:
        return None
    return check(campaign, organization, data, full)


@hookimpl
def submission_state_changed(submission, old_state, new_state, user):
    """An accepted pairs register becomes the organisation's current register."""
    form = submission.campaign.form
    if new_state == "accepted" and form.plugin == NAME and form.code == "mentoring_pairs":
        from plugins.mentoring.register import sync_from

        sync_from(submission)


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
def demo_data(demo):
    """Mentoring runs in Klin: pairs from an accepted September register, the May
    monitoring open with answers in every state, a mentor school."""
    from plugins.mentoring.demo import load

    demo.counts["mentoring_pairs"] = load(demo)
