"""What the block clears when a person's data is erased on request (152-FZ)."""

from plugins.diagnostics.models import ActiveMember, Route, Step


def clear_free_text(staff) -> list[str]:
    """Route notes, evidence of completed steps and decision reasons about the person."""
    routes = Route.select(Route.id).where(Route.staff == staff)
    cleared = []
    if Route.update(note="").where(Route.staff == staff, Route.note != "").execute():
        cleared.append("diagnostics: заметки маршрутов")
    if Step.update(evidence="").where(Step.route.in_(routes), Step.evidence != "").execute():
        cleared.append("diagnostics: подтверждения выполнения шагов")
    decided = ActiveMember.update(reason="").where(
        ActiveMember.staff == staff, ActiveMember.reason != ""
    )
    if decided.execute():
        cleared.append("diagnostics: причины решений по методическому активу")
    return cleared
