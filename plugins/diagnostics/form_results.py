"""Results entered through the form: checked while the school fills it in (the form's
``"check"``), recorded into the results base when a methodist accepts the submission (its
``"on_accepted"``, inside the accepting transaction: no acceptance without the result)."""

import datetime as dt
from decimal import Decimal

from plugins.diagnostics.catalogue import AREAS, PROCEDURES
from plugins.diagnostics.models import Deficit
from plugins.diagnostics.settings import deficits_of

CODE = "diagnostics_result"
BY_TITLE = {
    "procedure": {title: code for code, title in PROCEDURES.items()},
    "area": {title: code for code, title in AREAS.items()},
}


def titles(text) -> list[str]:
    return [t.strip() for t in (text or "").replace("\n", ";").split(";") if t.strip()]


def deficit_ids(region_id, area, text, *, archived=False) -> tuple[list[int], list[str]]:
    """(ids found, titles unknown in the area's catalogue); archived topics count only when
    ``archived`` (a submission accepted after its topic was archived keeps it)."""
    deficits_of(region_id)
    topics = Deficit.select().where(Deficit.region == region_id, Deficit.area == area)
    if not archived:
        topics = topics.where(Deficit.active == True)  # noqa: E712
    known = {d.title.casefold(): d.id for d in topics}
    ids, unknown = [], []
    for title in titles(text):
        found = known.get(title.casefold())
        if found is None:
            unknown.append(title)
        elif found not in ids:
            ids.append(found)
    return ids, unknown


def check(campaign, organization, data, full) -> dict | None:
    area = BY_TITLE["area"].get(data.get("area"))
    if area is None or not data.get("deficits"):
        return None
    _, unknown = deficit_ids(organization.region_id, area, data["deficits"])
    if unknown:
        message = f"Нет в каталоге области «{data['area']}»: " + "; ".join(unknown) + "."
        return {"errors": {"deficits": [message]}}
    return None


def record_accepted(submission, user) -> None:
    """An accepted result form becomes a result in the base (level from the thresholds)."""
    from plugins.diagnostics.results import record

    if submission.staff_id is not None:
        record(submission.staff, values(submission), user=user, source="form")


def values(submission) -> dict:
    data = submission.data
    area = BY_TITLE["area"][data["area"]]
    ids, _ = deficit_ids(
        submission.organization.region_id, area, data.get("deficits"), archived=True
    )
    return {
        "procedure": BY_TITLE["procedure"][data["procedure"]],
        "date": dt.date.fromisoformat(data["date"]),
        "area": area,
        "score": Decimal(str(data["score"])),
        "deficits": ids,
    }
