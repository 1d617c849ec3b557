"""Methodical audits with checklists: self-assessment, an expert's scores, results and gaps."""

from marshmallow import ValidationError

from core.api.errors import flatten
from core.models import RoleGrant
from forms.definition import iter_fields
from forms.to_marshmallow import load
from forms.workflow import WorkflowError

STATES = {
    "self_assessment": "Самооценка",
    "awaiting_expert": "Ожидает назначения эксперта",
    "expert_review": "Экспертная оценка",
    "completed": "Завершён",
}


def scores(definition, data) -> dict:
    """Points per direction (section) and in total, with percentages."""
    directions = []
    total_points = total_max = 0
    for section in definition["sections"]:
        points = maximum = 0
        for field in section["fields"]:
            maximum += field["max"]
            value = data.get(field["name"]) or {}
            points += value.get("score") or 0
        directions.append(
            {
                "title": section["title"],
                "points": points,
                "max": maximum,
                "percent": round(100 * points / maximum, 1) if maximum else 0.0,
            }
        )
        total_points += points
        total_max += maximum
    return {
        "directions": directions,
        "points": total_points,
        "max": total_max,
        "percent": round(100 * total_points / total_max, 1) if total_max else 0.0,
    }


def results(audit) -> dict:
    definition = audit.checklist.definition
    self_scores = scores(definition, audit.self_data)
    expert_scores = scores(definition, audit.expert_data)
    gaps = [
        {
            "title": s["title"],
            "self": s["points"],
            "expert": e["points"],
            "gap": s["points"] - e["points"],
        }
        for s, e in zip(self_scores["directions"], expert_scores["directions"], strict=True)
    ]
    criteria = []
    for field in iter_fields(definition):
        own = (audit.self_data.get(field["name"]) or {}).get("score")
        expert = (audit.expert_data.get(field["name"]) or {}).get("score")
        criteria.append(
            {
                "name": field["name"],
                "label": field["label"],
                "max": field["max"],
                "self": own,
                "expert": expert,
                "gap": None if own is None or expert is None else own - expert,
            }
        )
    return {
        "self": self_scores,
        "expert": expert_scores,
        "gap_points": self_scores["points"] - expert_scores["points"],
        "directions": gaps,
        "criteria": criteria,
    }


def validated(definition, payload, *, complete: bool) -> dict:
    """Scores within their scales; with ``complete`` every criterion must be scored."""
    try:
        data = load(definition, payload, full=False)
    except ValidationError as error:
        raise WorkflowError(
            422, "validation_error", "Проверьте оценки.", flatten(error.messages)
        ) from None
    if complete:
        missing = {
            f["name"]: ["Поставьте балл по критерию."]
            for f in iter_fields(definition)
            if (data.get(f["name"]) or {}).get("score") is None
        }
        if missing:
            raise WorkflowError(422, "validation_error", "Оценены не все критерии.", missing)
    return data


def own_organisation(user, org) -> bool:
    """The user belongs to ``org``: a grant at it (or inside it) or a staff record there."""
    for grant in RoleGrant.select().where(RoleGrant.user == user):
        if grant.staff_id and grant.staff.organization_id == org.id:
            return True
        if grant.scope_id and grant.scope.path.startswith(org.path):
            return True
    return False


def require_state(audit, *states):
    if audit.state not in states:
        names = ", ".join(f"«{STATES[s]}»" for s in states)
        raise WorkflowError(
            409,
            "invalid_transition",
            f"Действие недоступно: аудит в состоянии «{STATES[audit.state]}», нужно {names}.",
        )
