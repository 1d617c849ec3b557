"""A small programme block used by the tests, shaped like a real one.

It declares one of everything, keeps notes per organisation in its own
table (created by its own migrations) and serves them under a URL with
<org_id>, so activation rules can be tested end to end.
"""

import click
from marshmallow import fields
from peewee import CharField, ForeignKeyField, TextField

from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.scoping import organization
from core.db import database
from core.hookspecs import hookimpl
from core.models import BaseModel, Organization
from core.schemas.base import BaseSchema

EVENTS = []
CALLS = []  # names of the hooks the core has called, in order


class SampleNote(BaseModel):
    organization = ForeignKeyField(Organization, on_delete="CASCADE")
    text = TextField()
    author = CharField(max_length=100, default="")

    class Meta:
        table_name = "sample_note"


class NoteSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    text = fields.String(required=True)
    author = fields.String(dump_only=True)


blp = Blueprint("sample", __name__, url_prefix="/api/v1/sample", description="Тестовый блок")


@blp.route("/organizations/<int:org_id>/notes")
@blp.response(200, NoteSchema(many=True))
def list_notes(org_id):
    org = organization(org_id)
    return list(SampleNote.select().where(SampleNote.organization == org))


@blp.route("/organizations/<int:org_id>/notes", methods=["POST"])
@blp.arguments(NoteSchema)
@blp.response(201, NoteSchema)
def add_note(body, org_id):
    org = organization(org_id, "organization.write")
    with database.atomic():
        return SampleNote.create(organization=org, text=body["text"], author=current().user.login)


def _notes(ctx):
    """Notes under the scope, only where the block is switched on (ctx.enabled_paths)."""
    from core.api.scoping import in_scopes

    paths = ctx.enabled_paths if ctx.enabled_paths is not None else [ctx.scope.path]
    return (
        SampleNote.select(SampleNote, Organization)
        .join(Organization)
        .where(in_scopes(Organization.path, [p for p in paths if p.startswith(ctx.scope.path)]))
    )


def _note_rows(ctx):
    for note in _notes(ctx).order_by(SampleNote.id).iterator():
        yield [note.organization.name, note.text, note.author]


@hookimpl
def plugin_info():
    CALLS.append("plugin_info")
    return {"name": "sample", "title": "Тестовый блок", "version": "1.0"}


@hookimpl
def register_forms():
    CALLS.append("register_forms")
    return [
        {
            "code": "sample_form",
            "title": "Тестовая форма",
            "sections": [
                {
                    "title": "Сведения",
                    "fields": [{"name": "events", "type": "integer", "label": "Мероприятий"}],
                }
            ],
        },
        *SCHEDULED_FORMS,
    ]


@hookimpl
def register_checklists():
    CALLS.append("register_checklists")
    return [
        {
            "code": "sample_checklist",
            "title": "Тестовый чек-лист",
            "sections": [
                {
                    "title": "Нормативная база",
                    "fields": [
                        {"name": "act", "type": "score", "label": "Локальный акт", "max": 2}
                    ],
                }
            ],
        }
    ]


@hookimpl
def register_exports():
    CALLS.append("register_exports")
    return [
        {
            "code": "sample_export",
            "title": "Заметки тестового блока",
            "levels": ["region", "hub", "municipality", "organization"],
            "sheets": [
                {
                    "name": "Заметки",
                    "columns": [
                        {"header": "Организация", "width": 30},
                        {"header": "Заметка", "width": 40},
                        {"header": "Автор", "width": 16},
                    ],
                    "rows": _note_rows,
                }
            ],
        }
    ]


@hookimpl
def register_indicators():
    CALLS.append("register_indicators")
    return [
        {
            "code": "sample_indicator",
            "title": "Число заметок",
            "unit": "count",
            "compute": lambda ctx: (_notes(ctx).count(), None),
            "target": 1,
            "direction": "at_least",
        }
    ]


@hookimpl
def register_blueprints():
    CALLS.append("register_blueprints")
    return [blp]


@hookimpl
def register_commands(cli):
    CALLS.append("register_commands")

    @cli.command("sample-hello")
    def hello():
        """Say hello from the sample block."""
        click.echo("Привет от тестового блока")


@hookimpl
def register_migrations():
    CALLS.append("register_migrations")
    return "tests.sample_plugin.migrations"


@hookimpl
def organization_created(organization, user):
    CALLS.append("organization_created")
    EVENTS.append(("organization_created", organization.code, user.login if user else None))


@hookimpl
def support_proposal_accepted(staff, supporter, kind, reason, user):
    CALLS.append("support_proposal_accepted")
    EVENTS.append(("support_proposal_accepted", staff.id, supporter.id, kind))


@hookimpl
def check_submission(campaign, organization, data, full):
    CALLS.append("check_submission")
    if campaign.form.code != "sample_form":
        return None
    if data.get("events", 0) > 100:
        return {"errors": {"events": ["Не больше 100 мероприятий в тестовом блоке."]}}
    if full and data.get("events") == 0:
        return {"warnings": {"events": ["Ни одного мероприятия — точно?"]}}
    return None


@hookimpl
def submission_state_changed(submission, old_state, new_state, user):
    CALLS.append("submission_state_changed")
    EVENTS.append(("submission_state_changed", submission, old_state, new_state))


@hookimpl
def staff_erased(staff, user):
    CALLS.append("staff_erased")
    EVENTS.append(("staff_erased", staff.id))
    return ["sample: nothing kept"]


@hookimpl
def generate_scale_data(world):
    CALLS.append("generate_scale_data")
    EVENTS.append(("generate_scale_data", len(world.organizations)))
    return 0


# --- schedules ---

# A form that opens by itself on the 1st of every month, for the month just ended.
SCHEDULED_FORMS = [
    {
        "code": "sample_monthly",
        "title": "Тестовый ежемесячный отчёт",
        "sections": [
            {
                "title": "Итоги месяца",
                "fields": [{"name": "visits", "type": "integer", "label": "Посещений"}],
            }
        ],
        "schedule": {
            "every": "month",
            "opens_day": 1,
            "deadline_days": 10,
            "period": "month",
            "reports_on": "previous",
        },
    }
]


@hookimpl
def demo_data(demo):
    """The block runs in Klin in the demo: switched on there, one note per school."""
    from core.activation import set_enabled

    CALLS.append("demo_data")
    klin = demo.organizations["klin"]
    set_enabled(klin, "sample", True, demo.users["metodist.klin"])
    rng = demo.random("sample")
    schools = [o for o in demo.organizations.values() if o.parent_id == klin.id]
    for school in schools:
        SampleNote.create(organization=school, text=f"Заметка № {rng.randint(1, 99)}")
    demo.counts["sample_notes"] = len(schools)
