"""The demo's data collection: a monitoring form, an open campaign and a few answers."""

import datetime as dt

from forms.definition import load_definition
from forms.models import Campaign, Submission, SubmissionEvent
from forms.store import save

MONITORING = {
    "code": "demo_mentoring_monitoring",
    "title": "Мониторинг реализации программы наставничества",
    "description": "Ежегодный мониторинг в мае (программа методического сопровождения, 2.3).",
    "level": "organization",
    "sections": [
        {
            "title": "Нормативная база",
            "fields": [
                {"name": "act_adopted", "type": "boolean", "required": True,
                 "label": "Принят локальный акт о наставничестве"},
                {"name": "act_date", "type": "date", "required": True, "label": "Дата акта",
                 "visible_if": {"field": "act_adopted", "equals": True}},
                {"name": "act_number", "type": "text", "max_length": 30, "label": "Номер акта",
                 "visible_if": {"field": "act_adopted", "equals": True}},
                {"name": "programme_approved", "type": "boolean", "required": True,
                 "label": "Утверждена программа наставничества"},
            ],
        },
        {
            "title": "Наставнические пары",
            "fields": [
                {"name": "pairs_total", "type": "integer", "min": 0, "required": True,
                 "label": "Всего пар", "unit": "пар"},
                {"name": "pairs_teacher", "type": "integer", "min": 0,
                 "label": "«Учитель – молодой учитель»"},
                {"name": "pairs_peer", "type": "integer", "min": 0, "label": "«Равный – равному»"},
                {"name": "pairs_group", "type": "integer", "min": 0, "label": "Групповое"},
                {"name": "young_covered", "type": "integer", "min": 0, "required": True,
                 "label": "Молодых педагогов охвачено наставничеством", "unit": "чел."},
                {"name": "pairs", "type": "table", "label": "Реестр пар", "unique": ["mentee"],
                 "columns": [
                     {"name": "mentor", "type": "staff", "required": True, "label": "Наставник"},
                     {"name": "mentee", "type": "staff", "required": True,
                      "label": "Наставляемый"},
                     {"name": "form", "type": "choice", "label": "Форма",
                      "choices": ["учитель – молодой учитель", "равный – равному", "группа"]},
                     {"name": "start", "type": "date", "label": "Начало"},
                     {"name": "end", "type": "date", "label": "Окончание (план)"},
                 ]},
            ],
        },
        {
            "title": "Итоги года",
            "fields": [
                {"name": "events", "type": "integer", "min": 0, "label": "Проведено мероприятий"},
                {"name": "difficulties", "type": "textarea", "max_length": 3000,
                 "label": "Трудности", "help": "Что мешает реализации программы"},
            ],
        },
    ],
    "rules": [
        {"type": "sum", "parts": ["pairs_teacher", "pairs_peer", "pairs_group"],
         "total": "pairs_total"},
        {"type": "compare", "table": "pairs", "left": "mentor", "op": "!=", "right": "mentee"},
        {"type": "compare", "table": "pairs", "left": "end", "op": ">=", "right": "start"},
    ],
}  # fmt: skip


def load(region, operator, schools, today=None):
    """Store the form, open a campaign for the region, and add two answers."""
    today = today or dt.date.today()
    form, _ = save(load_definition(MONITORING), scope=region, user=operator)
    campaign = Campaign.create(
        form=form,
        title=f"Мониторинг наставничества, май {today.year}",
        period_kind="month",
        period_start=dt.date(today.year, 5, 1),
        period_end=dt.date(today.year, 5, 31),
        scope=region,
        audience_kinds=["school"],
        audience_statuses=[],
        opens_on=today - dt.timedelta(days=5),
        deadline=today + dt.timedelta(days=25),
        created_by=operator,
    )
    for school, state in ((schools[1], "submitted"), (schools[2], "draft")):
        data = {"act_adopted": True, "act_date": f"{today.year - 1}-09-01", "act_number": "45-о",
                "programme_approved": True, "pairs_total": 2, "pairs_teacher": 2,
                "pairs_peer": 0, "pairs_group": 0, "young_covered": 2}  # fmt: skip
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        submission = Submission.create(
            campaign=campaign,
            organization=school,
            subject_key=f"o{school.id}",
            state=state,
            data=data,
            submitted_at=now if state == "submitted" else None,
            first_submitted_at=now if state == "submitted" else None,
        )
        SubmissionEvent.create(submission=submission, action="create", to_state="draft")
        if state == "submitted":
            SubmissionEvent.create(
                submission=submission, action="submit", from_state="draft", to_state="submitted"
            )
    return campaign
