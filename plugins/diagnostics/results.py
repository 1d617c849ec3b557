"""Recording diagnostic results: the level from the region's thresholds, the deficits
checked against its catalogue, and a proposal to the methodical active for a high level."""

from peewee import IntegrityError

from core import audit
from core.db import database
from plugins.diagnostics.active import propose_from
from plugins.diagnostics.models import Deficit, Result
from plugins.diagnostics.settings import deficits_of, level_for, settings_for, thresholds

FIELDS = ("procedure", "date", "area", "score", "deficits")


class ResultProblem(ValueError):
    """A field of a result is wrong: (field, Russian message, HTTP status)."""

    def __init__(self, field, message, status=422):
        super().__init__(message)
        self.field, self.status = field, status


def check_deficits(region_id, area, ids) -> list[int]:
    """The ids, each a topic of the region's catalogue in ``area``; duplicates dropped."""
    deficits_of(region_id)  # the catalogue exists before anything refers to it
    known = {
        d.id: d
        for d in Deficit.select().where(Deficit.region == region_id, Deficit.id.in_(ids or [0]))
    }
    clean = []
    for deficit_id in ids:
        deficit = known.get(deficit_id)
        if deficit is None:
            raise ResultProblem("deficits", f"Дефицит {deficit_id} не найден в каталоге региона.")
        if deficit.area != area:
            raise ResultProblem(
                "deficits", f"Дефицит «{deficit.title}» относится к другой области компетенций."
            )
        if deficit_id not in clean:
            clean.append(deficit_id)
    return clean


def snapshot(result: Result) -> dict:
    """What the audit log keeps of a result: its keys and figures, no names."""
    return {
        "staff_id": result.staff_id,
        "procedure": result.procedure,
        "date": result.date.isoformat() if hasattr(result.date, "isoformat") else result.date,
        "area": result.area,
        "score": float(result.score),
        "level": result.level,
        "deficits": list(result.deficits),
    }


def record(staff, values: dict, *, user=None, source="api") -> tuple[Result, str]:
    """Create or update the result for (staff, procedure, date, area).

    Returns the result and "created", "updated" or "unchanged".  Call inside a transaction
    when several results must land together (imports).
    """
    region_id = staff.organization.region_id
    deficits = check_deficits(region_id, values["area"], values.get("deficits") or [])
    level = level_for(values["score"], thresholds(settings_for(region_id), values["procedure"]))
    try:
        return _save(staff, values, deficits, level, user, source)
    except IntegrityError:  # the same result was being recorded at the same moment
        raise ResultProblem(
            "date", "Этот результат сейчас вносит другой пользователь; повторите.", 409
        ) from None


def _save(staff, values, deficits, level, user, source):
    with database.atomic():
        result = Result.get_or_none(
            Result.staff == staff,
            Result.procedure == values["procedure"],
            Result.date == values["date"],
            Result.area == values["area"],
        )
        outcome = "created"
        if result is None:
            result = Result(
                staff=staff,
                procedure=values["procedure"],
                date=values["date"],
                area=values["area"],
                created_by=user,
            )
            before = None
        else:
            before = snapshot(result)
            outcome = "updated"
        result.score, result.level, result.deficits = values["score"], level, deficits
        result.source = source
        result.save()
        result = Result.get_by_id(result.id)  # the score as stored (rounded to 0.1)
        after = snapshot(result)
        if before == after:
            return result, "unchanged"
        audit.record(
            "create" if before is None else "update",
            user=user,
            object_type="diagnostics_result",
            object_id=result.id,
            scope_path=staff.organization.path,
            before=before,
            after=after,
        )
        propose_from(result)
    return result, outcome


def assign_expert(result: Result, expert, *, user) -> Result:
    """Give the result to an expert of the methodical community for checking (``expert``
    None: take it back); audited.  The caller has checked who may assign and who is an
    expert of the region."""
    with database.atomic():
        result.expert = expert
        result.save()
        audit.record(
            "assign",
            user=user,
            object_type="diagnostics_result",
            object_id=result.id,
            scope_path=result.staff.organization.path,
            after={"expert_id": result.expert_id},
        )
    return result
