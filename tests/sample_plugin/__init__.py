"""The sample block: the template for a new programme block, and the tests' block.

It implements every hook of ``core/hookspecs.py``, in the same groups and order
(declarations, pages, events, data), each as small as a real one can be: it keeps notes
per organisation in its own table (created by its own migrations) and serves them under
a URL with <org_id>, so activation rules can be tested end to end.  ``CALLS`` records
which hooks the core called (tests/test_contract_meta.py).  Copy this folder to start a
block; the README's "Writing a plugin" explains each hook.
"""

import click
import flask
from markupsafe import Markup
from marshmallow import fields, validate
from peewee import CharField, ForeignKeyField, TextField
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from core.api.auth import current
from core.api.blueprint import Blueprint
from core.api.scoping import organization
from core.db import database
from core.hookspecs import hookimpl
from core.models import BaseModel, Organization
from core.schemas.base import BaseSchema
from core.web.forms import PageForm
from core.web.session import login_required

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


def _notes_by_path(ctx, paths):
    """{subtree path: (notes, None)} for disjoint subtrees under the scope, in one query."""
    from peewee import fn

    from exports.indicators import by_path

    rows = _notes(ctx).select(Organization.path, fn.COUNT(SampleNote.id))
    rows = rows.group_by(Organization.path).tuples()
    return {path: (notes, None) for path, (notes,) in by_path(rows, paths, width=1).items()}


def _note_rows(ctx):
    for note in _notes(ctx).order_by(SampleNote.id).iterator():
        yield [note.organization.name, note.text, note.author]


# === Declarations (called once at start-up) ===========================================


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
            "compute_grouped": _notes_by_path,  # the engine derives the single-scope figure
            "target": 1,
            "direction": "at_least",
            "description": "Число заметок организаций, где включён тестовый блок.",
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


# === Pages ============================================================================
# (register_pages, menu_links, home_widgets: see the sections at the end)


# === Events ===========================================================================


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


# === Data =============================================================================


@hookimpl
def generate_scale_data(world):
    CALLS.append("generate_scale_data")
    EVENTS.append(("generate_scale_data", len(world.organizations)))
    return 0


# --- activation ---


@blp.route("/notes/<int:note_id>")
@blp.response(200, NoteSchema)
def get_note(note_id):
    """A URL without <org_id>: the guard finds the organisation through ``note_id``."""
    note = SampleNote.get_or_none(SampleNote.id == note_id)
    if note is None:
        from core.api.errors import ApiError

        raise ApiError(404)
    organization(note.organization_id)  # the scope rule: outside it, 404
    return note


def _note_organization(note_id):
    return (
        Organization.select()
        .join(SampleNote, on=(SampleNote.organization == Organization.id))
        .where(SampleNote.id == note_id)
        .first()
    )


@hookimpl
def register_url_resolvers():
    CALLS.append("register_url_resolvers")
    return {"note_id": _note_organization}


# --- shell ---

pages = flask.Blueprint(
    "sample_pages",
    __name__,
    url_prefix="/sample",
    template_folder="templates",
    static_folder="static",
)


class NoteForm(PageForm):
    text = StringField("Заметка", validators=[DataRequired("Напишите заметку."), Length(max=200)])


@pages.route("/organizations/<int:org_id>/notes", methods=["GET", "POST"])
@login_required
def notes_page(org_id):
    """The notes of an organisation, and a WTForms form adding one (CSRF from the core)."""
    org = organization(org_id)
    form = NoteForm(flask.request.form if flask.request.method == "POST" else None)
    posted = flask.request.method == "POST"
    if posted and organization(org_id, "organization.write") and form.validate():
        author = current().user.login
        with database.atomic():
            SampleNote.create(organization=org, text=form.text.data, author=author)
        return flask.redirect(flask.url_for("sample_pages.notes_page", org_id=org.id))
    notes = list(SampleNote.select().where(SampleNote.organization == org).order_by(SampleNote.id))
    status = 422 if form.errors else 200
    return flask.render_template("sample/notes.html", org=org, notes=notes, form=form), status


def _home_org(principal):
    """The organisation of the principal's first scope below the root, if any."""
    for path in principal.scopes("organization.write"):
        if path != "/":
            return Organization.get_by_id(int(path.strip("/").split("/")[-1]))
    return None


@hookimpl
def register_pages():
    CALLS.append("register_pages")
    return [pages]


@hookimpl
def menu_links(principal):
    CALLS.append("menu_links")
    org = _home_org(principal)
    if org is None:
        return []
    href = flask.url_for("sample_pages.notes_page", org_id=org.id)
    return [{"href": href, "label": "Заметки", "order": 90}]


@hookimpl
def home_widgets(principal):
    CALLS.append("home_widgets")
    org = _home_org(principal)
    if org is None:
        return []
    count = (
        SampleNote.select().join(Organization).where(Organization.path.startswith(org.path)).count()
    )
    return [{"title": "Заметки тестового блока", "html": Markup(f"<p>Заметок: {count}</p>"),
             "order": 90}]  # fmt: skip


# --- events ---


@hookimpl
def submission_state_changing(submission, old_state, new_state, user):
    """Inside the accepting transaction: raising refuses the change and rolls it back."""
    CALLS.append("submission_state_changing")
    form = submission.campaign.form
    if new_state == "accepted" and form.code == "sample_form" and not submission.data.get("events"):
        raise ValueError("тестовый блок не принимает отчёт без мероприятий")


@hookimpl
def staff_changed(staff, action, user):
    CALLS.append("staff_changed")
    EVENTS.append(("staff_changed", staff.id, action))


# Each package of the block platform adds its hooks below, in a section of its own.

# --- engines ---


@hookimpl
def startup(app):
    """Once the app is built: a real block checks its declarations here (raise PluginError)."""
    CALLS.append("startup")
    EVENTS.append(("startup", sorted(app.extensions["metodnet.registry"].plugins)))


# --- activity ---


class TalkSchema(BaseSchema):
    staff_id = fields.Integer(required=True)
    title = fields.String(required=True)
    date = fields.Date(required=True)


@blp.route("/organizations/<int:org_id>/talks", methods=["POST"])
@blp.arguments(TalkSchema)
@blp.response(201, TalkSchema)
def add_talk(body, org_id):
    """A talk given at the school: the speaker's activity, written through the core."""
    from core import activities
    from core.api.errors import field_error
    from core.models import StaffMember

    org = organization(org_id, "organization.write")
    speaker = StaffMember.get_or_none(
        StaffMember.id == body["staff_id"], StaffMember.organization == org
    )
    if speaker is None:
        raise field_error("staff_id", "Работник не найден в организации.")
    with database.atomic():
        note = SampleNote.create(organization=org, text=body["title"], author=current().user.login)
        activities.record(
            speaker,
            block="sample",
            source=("talk", note.id),
            kind="event",
            role="speaker",
            level="school",
            title=body["title"],
            date=body["date"],
        )
    return body


@hookimpl
def staff_profile(staff, principal):
    CALLS.append("staff_profile")
    notes = SampleNote.select().where(SampleNote.organization == staff.organization_id).count()
    return [
        {
            "code": "sample_notes",
            "title": "Тестовый блок",
            "items": [{"label": "Заметок организации", "value": notes}],
        }
    ]


# --- access ---


class CuratedNoteSchema(BaseSchema):
    text = fields.String(required=True)
    nickname = fields.String(load_default="")


class SampleSettingsSchema(BaseSchema):
    notes_per_day = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=50),
        metadata={"title": "Заметок в день, не более"},
    )


@blp.route("/organizations/<int:org_id>/curated-notes", methods=["POST"])
@blp.arguments(CuratedNoteSchema)
@blp.response(201, NoteSchema)
def add_curated_note(body, org_id):
    """Only the block's own permission opens this (its curator role holds it)."""
    from core import audit, block_settings

    org = organization(org_id, "sample.curate")
    cap = block_settings.settings_for(org, "sample")["notes_per_day"]
    if SampleNote.select().where(SampleNote.organization == org).count() >= cap:
        from core.api.errors import field_error

        raise field_error("text", f"Не больше {cap} заметок.")
    with database.atomic():
        note = SampleNote.create(organization=org, text=body["text"], author=current().user.login)
        audit.record(
            "create",
            user=current().user,
            object_type="sample_note",
            object_id=note.id,
            scope_path=org.path,
            after={"text": body["text"], "sample_nickname": body["nickname"]},
        )
    return note


@hookimpl
def register_roles():
    CALLS.append("register_roles")
    return [{"code": "sample_curator", "title": "Куратор тестового блока", "rank": 1}]


@hookimpl
def register_permissions():
    CALLS.append("register_permissions")
    return [
        {
            "code": "sample.curate",
            "title": "Тестовый блок: кураторские заметки",
            "roles": ["sample_curator", "admin"],
        }
    ]


@hookimpl
def register_settings():
    CALLS.append("register_settings")
    return {
        "schema": SampleSettingsSchema,
        "defaults": {"notes_per_day": 5},
        "title": "Тестовый блок",
    }


@hookimpl
def register_vocabulary():
    CALLS.append("register_vocabulary")
    return {
        "organization_statuses": [{"code": "sample_site", "label": "Площадка тестового блока"}],
        "personal_data_fields": [
            {"code": "sample_nickname", "label": "Псевдоним", "object_types": ["sample_note"]}
        ],
    }


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
