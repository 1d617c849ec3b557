"""The block's own rules on its forms (beyond what the form engine checks).

Errors refuse the save; warnings must be confirmed when submitting.
"""

from core.models import StaffMember
from forms.periods import reference_year
from plugins.mentoring.settings import settings_for

YOUNG_FORM = "учитель – молодой учитель"
SCHOOL_FORM = "школа – школа"
ACTIVE = "действует"


def _staff(ids):
    return {s.id: s for s in StaffMember.select().where(StaffMember.id.in_(list(ids)))}


def check_pairs(campaign, organization, data, full):
    errors, warnings = {}, {}
    rows = data.get("pairs") or []
    ids = {row.get(k) for row in rows for k in ("mentor", "mentee") if row.get(k)}
    staff = _staff(ids) if ids else {}
    year = reference_year(campaign.period_start)
    seen, load = {}, {}
    cap = settings_for(organization)["mentee_cap"]
    for index, row in enumerate(rows):
        path = f"pairs.{index}"
        for role in ("mentor", "mentee"):
            person = staff.get(row.get(role))
            if person is not None and not person.active:
                errors.setdefault(f"{path}.{role}", []).append(
                    "Работник не работает в организации (отмечен как уволенный)."
                )
        mentor, mentee = staff.get(row.get("mentor")), staff.get(row.get("mentee"))
        from_elsewhere = mentor is not None and mentor.organization_id != organization.id
        if from_elsewhere and row.get("form") != SCHOOL_FORM:
            errors.setdefault(f"{path}.mentor", []).append(
                "Наставник из другой организации — только для формы «школа – школа»."
            )
        if row.get("status") != ACTIVE or mentee is None:
            continue
        key = (mentee.id, (row.get("subject") or "").strip().casefold())
        if key in seen:
            errors.setdefault(f"{path}.mentee", []).append(
                f"У наставляемого уже есть действующая пара по этому предмету (строка {seen[key]})."
            )
        else:
            seen[key] = index + 1
        if mentor is not None:
            load[mentor.id] = load.get(mentor.id, 0) + 1
            if load[mentor.id] == cap + 1:
                warnings.setdefault(f"{path}.mentor", []).append(
                    f"У наставника больше {cap} наставляемых: проверьте нагрузку."
                )
        if row.get("form") == YOUNG_FORM:
            young = mentee.age_in(year) < 35
            beginner = mentee.teaching_since is not None and mentee.experience_in(year) < 3
            if not (young or beginner):
                warnings.setdefault(f"{path}.mentee", []).append(
                    "Наставляемый старше 35 лет и работает больше трёх лет: "
                    "подходит ли форма «учитель – молодой учитель»?"
                )
    return {"errors": errors, "warnings": warnings}


def check_laboratory(campaign, organization, data, full):
    titles = {(e.get("title") or "").strip().casefold() for e in data.get("events") or []}
    errors = {}
    for index, row in enumerate(data.get("participants") or []):
        if (row.get("event") or "").strip().casefold() not in titles:
            errors[f"participants.{index}.event"] = ["Нет такого мероприятия в таблице выше."]
    return {"errors": errors}
