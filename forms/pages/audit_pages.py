"""«Аудиты»: the list, starting one, the school's self-assessment, the methodist's choice of
an expert (only eligible ones), the expert's scoring, results per direction self vs expert.
Every step is a ``forms.audit_steps`` function, as in the API."""

from flask import g, redirect, render_template, request, url_for
from wtforms import SelectField

from core.access import ROOT
from core.api import scoping
from core.api.errors import ApiError
from core.models import Organization
from core.models.organization import EDUCATIONAL_KINDS
from core.web.forms import PageForm
from core.web.session import login_required
from exports.names import natural_key
from forms import audit_steps, audits, store
from forms.api.audits import audit_for
from forms.definition import iter_fields
from forms.models import ChecklistAudit, FormDefinition
from forms.pages.views import bp
from forms.visibility import form_visible
from forms.workflow import WorkflowError

PER_PAGE = 50


class ExpertForm(PageForm):
    expert_id = SelectField("Эксперт", choices=[], coerce=int)


class StartForm(PageForm):
    organization_id = SelectField("Организация", choices=[], coerce=int)
    checklist_code = SelectField("Чек-лист", choices=[])


@bp.route("/audits", endpoint="audits")
@login_required
def audits_list():
    principal = g.principal
    query = (
        ChecklistAudit.select(ChecklistAudit, Organization, FormDefinition)
        .join(Organization)
        .switch(ChecklistAudit)
        .join(FormDefinition)
    )
    scopes = principal.scopes()
    if ROOT not in scopes:
        query = query.where(
            scoping.in_scopes(Organization.path, scopes) | (ChecklistAudit.expert == principal.user)
        )
    page = max(request.args.get("page", 1, type=int), 1)
    total = query.count()
    rows = list(query.order_by(ChecklistAudit.id.desc()).paginate(page, PER_PAGE))
    return render_template(
        "forms/audits.html",
        rows=rows,
        STATES=audits.STATES,
        page=page,
        pages=range(1, (total + PER_PAGE - 1) // PER_PAGE + 1) if total > PER_PAGE else [],
        may_start=bool(principal.scopes("audit.manage")),
    )


def _start_choices(form, principal):
    paths = principal.scopes("audit.manage")
    orgs = Organization.select(Organization.id, Organization.name).where(
        Organization.kind.in_(EDUCATIONAL_KINDS),
        Organization.active == True,  # noqa: E712
    )
    if ROOT not in paths:
        orgs = orgs.where(scoping.in_scopes(Organization.path, paths))
    form.organization_id.choices = sorted(
        ((o.id, o.name) for o in orgs), key=lambda c: natural_key(c[1])
    )
    checklists = FormDefinition.select().where(
        FormDefinition.id.in_(store.codes_latest()), FormDefinition.kind == "checklist"
    )
    form.checklist_code.choices = [
        (c.code, c.title) for c in checklists if form_visible(principal, c)
    ]


@bp.route("/audits/new", methods=["GET", "POST"])
@login_required
def start_audit():
    principal = g.principal
    if not principal.scopes("audit.manage"):
        raise ApiError(403)
    posted = request.method == "POST"
    form = StartForm(request.form if posted else None)
    _start_choices(form, principal)
    if posted and form.validate():
        org = Organization.get_by_id(form.organization_id.data)
        if principal.can("audit.manage", org.path):
            checklist = store.get(form.checklist_code.data)
            audit = audit_steps.start(checklist, org, expert=None, user=principal.user)
            return redirect(url_for("pages.audit_page", audit_id=audit.id))
        form.organization_id.errors = ["Нет прав на аудит этой организации."]
    return render_template("forms/audit_start.html", form=form), 422 if posted else 200


def _expert_form(audit, formdata=None):
    form = ExpertForm(formdata, data={"expert_id": audit.expert_id})
    form.expert_id.choices = [
        (u.id, u.full_name) for u in audit_steps.eligible_experts(audit.organization)
    ]
    return form


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
@login_required
def audit_page(audit_id):
    """Results per direction (self vs expert) and, for the methodist, the expert picker."""
    audit = audit_for(audit_id)
    manager = g.principal.can("audit.manage", audit.organization.path)
    form, notice, status = None, None, 200
    if manager and audit.state != "completed":
        form = _expert_form(audit, request.form if request.method == "POST" else None)
        if request.method == "POST":
            status = 422
            if form.validate():
                try:
                    audit_steps.assign_expert(audit, form.expert_id.data, user=g.principal.user)
                except WorkflowError as error:
                    form.expert_id.errors = error.fields.get("expert_id") or [error.message]
                else:
                    notice, status = "Эксперт назначен.", 200
    elif request.method == "POST":
        raise ApiError(403)
    return (
        render_template(
            "forms/audit.html",
            audit=audit,
            results=audits.results(audit),
            STATES=audits.STATES,
            form=form,
            notice=notice,
            may_self=g.principal.can("audit.self", audit.organization.path),
            is_expert=audit.expert_id == g.principal.user.id,
        ),
        status,
    )


def _posted_scores(definition):
    """The page's score boxes as the API's scores payload (texts the engine then checks)."""
    data = {}
    for field in iter_fields(definition):
        raw = (request.form.get(f"score__{field['name']}") or "").strip()
        evidence = (request.form.get(f"evidence__{field['name']}") or "").strip()
        if not raw and not evidence:
            continue
        score = int(raw) if raw.lstrip("-").isdigit() else (raw or None)
        data[field["name"]] = {"score": score, "evidence": evidence}
    return data


def _scoring(audit, *, who, save, finish, finish_label):
    definition = audit.checklist.definition
    own = audit.self_data if who == "self" else audit.expert_data
    errors, notice, shown = {}, None, own
    if request.method == "POST":
        shown = _posted_scores(definition)
        try:
            save(audit, shown)
            notice = "Оценки сохранены."
            if request.form.get("action") == "finish":
                finish(audit)
                return redirect(url_for("pages.audit_page", audit_id=audit.id))
        except WorkflowError as error:
            errors = {**error.fields, "_form": [error.message]}
    page = render_template(
        "forms/audit_scores.html",
        audit=audit,
        definition=definition,
        data=shown,
        errors=errors,
        notice=notice,
        who=who,
        finish_label=finish_label,
        editable=audit.state == ("self_assessment" if who == "self" else "expert_review"),
        STATES=audits.STATES,
    )
    return page, 422 if errors else 200


@bp.route("/audits/<int:audit_id>/self", methods=["GET", "POST"])
@login_required
def audit_self(audit_id):
    audit = audit_for(audit_id)
    if not g.principal.can("audit.self", audit.organization.path):
        raise ApiError(403)
    return _scoring(
        audit,
        who="self",
        save=audit_steps.save_self,
        finish=audit_steps.submit_self,
        finish_label="Сохранить и отправить эксперту",
    )


@bp.route("/audits/<int:audit_id>/expert", methods=["GET", "POST"])
@login_required
def audit_expert(audit_id):
    audit = audit_for(audit_id)
    if audit.expert_id != g.principal.user.id:
        raise ApiError(403, "Оценки ставит назначенный эксперт.")
    user = g.principal.user
    return _scoring(
        audit,
        who="expert",
        save=audit_steps.save_expert,
        finish=lambda a: audit_steps.complete_expert(a, user=user),
        finish_label="Сохранить и завершить аудит",
    )
