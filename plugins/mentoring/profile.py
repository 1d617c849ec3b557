"""The mentoring section of a person's growth profile: the pairs of the current registers
where the person is the mentor or the mentee (proposed pairs not yet confirmed apart)."""

from peewee import JOIN

from core.models import StaffMember
from plugins.mentoring.models import MentorPair


def sections(staff) -> list[dict]:
    mentor, mentee = StaffMember.alias(), StaffMember.alias()
    pairs = (
        MentorPair.select(MentorPair, mentor, mentee)
        .join(mentor, JOIN.INNER, on=(MentorPair.mentor == mentor.id))
        .switch(MentorPair)
        .join(mentee, JOIN.INNER, on=(MentorPair.mentee == mentee.id))
        .where((MentorPair.mentor == staff.id) | (MentorPair.mentee == staff.id))
        .order_by(MentorPair.start, MentorPair.id)
    )
    items = []
    for pair in pairs:
        as_mentor = pair.mentor_id == staff.id
        other = pair.mentee if as_mentor else pair.mentor
        details = ", ".join(p for p in (pair.form, pair.subject, pair.status) if p)
        items.append(
            {
                "label": "Наставляемый" if as_mentor else "Наставник",
                "value": f"{other.full_name} ({details})",
                "date": pair.start,
            }
        )
    return [{"code": "mentoring_pairs", "title": "Наставничество", "items": items}]
