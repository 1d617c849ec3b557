"""What the blocks hear of a submission: the owning block's own callbacks first (the form
declaration's ``"check"`` and ``"on_accepted"``), then the cross-block hooks.

The registry knows the owner of every declaration, so a block's callbacks run for its
own forms only; no block receives every submission to filter on the form code.
"""

from core import events
from core.plugin_access import manager, registry


def own_declaration(form) -> dict | None:
    """The declaration of the block that owns ``form`` (a stored version), if any."""
    if not form.plugin:
        return None
    kind = "checklists" if form.kind == "checklist" else "forms"
    reg = registry()
    declaration = reg.declarations[kind].get(form.code)
    if declaration is None or reg.owners[kind][form.code] != form.plugin:
        return None  # a form of the same code made through the API is nobody's block
    return declaration


def check_answers(campaign, organization, data, full) -> list[dict]:
    """{"errors", "warnings"} answers: the form's own ``check``, then ``check_submission``."""
    answers = []
    own = own_declaration(campaign.form)
    if own is not None and own.get("check") is not None:
        answers.append(own["check"](campaign, organization, data, full))
    answers.extend(
        manager().hook.check_submission(
            campaign=campaign, organization=organization, data=data, full=full
        )
    )
    return [answer for answer in answers if answer]


def changing(submission, action, old_state, new_state, user) -> None:
    """Inside the change's transaction: the owning block's ``on_accepted`` (derived state
    that must not be lost) and ``submission_state_changing``; either may raise to refuse
    the change.  ``submission_state_changed`` is queued for after the commit."""
    if action == "accept":
        own = own_declaration(submission.campaign.form)
        if own is not None and own.get("on_accepted") is not None:
            own["on_accepted"](submission, user)
    changes = {
        "submission": submission,
        "old_state": old_state,
        "new_state": new_state,
        "user": user,
    }
    manager().hook.submission_state_changing(**changes)
    events.after_commit("submission_state_changed", **changes)
