"""The life of a submission: draft → submitted → returned → submitted → accepted.

Every save and transition is one transaction that also writes the history
entry and the outbox rows of webhooks, and runs the blocks' in-transaction callbacks
(a refusal rolls it all back); ``submission_state_changed`` is dispatched after commit,
whoever called: API, page, CLI or bulk action.
"""

import logging
from contextlib import contextmanager

from marshmallow import ValidationError

from core import audit, clock, events
from core.activation import is_enabled
from core.api.errors import flatten
from core.db import database, first_cached, is_sqlite, write_transaction
from core.models import utcnow
from forms import submission_hooks, webhooks
from forms.definition import field_map
from forms.models import STATES, Submission, SubmissionEvent
from forms.to_marshmallow import load

log = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A refused change: HTTP status, a distinct code, a Russian message, field errors."""

    def __init__(self, status, code, message, fields=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def check_campaign_accepts_changes(campaign, org):
    plugin = campaign.form.plugin
    if plugin and not is_enabled(org, plugin):
        raise WorkflowError(
            404,
            "plugin_disabled",
            "Программный блок этой формы отключён для вашего муниципалитета.",
        )
    if campaign.closed_at is not None:
        raise WorkflowError(
            409,
            "campaign_closed",
            f"Сбор данных закрыт {clock.display(campaign.closed_at, campaign.scope)}.",
        )
    today = clock.today(campaign.scope)
    if today < campaign.opens_on:
        raise WorkflowError(
            409,
            "campaign_not_open",
            f"Сбор данных ещё не начался: откроется {campaign.opens_on:%d.%m.%Y}.",
        )
    if clock.is_late(campaign, clock.now()) and not campaign.accepts_late:
        raise WorkflowError(
            409,
            "deadline_passed",
            f"Срок сдачи истёк {clock.display_deadline(campaign)}; "
            "опоздавшие ответы не принимаются.",
        )


def _locked(submission):
    if submission.state == "accepted":
        raise WorkflowError(
            409,
            "submission_accepted",
            "Анкета принята и закрыта для изменений. Открыть её снова может проверяющий.",
        )
    if submission.state == "submitted":
        raise WorkflowError(
            409,
            "submission_submitted",
            "Анкета отправлена на проверку; изменить её можно после возврата на доработку.",
        )


def _check_version(submission, expected):
    current = submission.version if submission else 0
    if expected is not None and expected != current:
        raise WorkflowError(
            409,
            "version_conflict",
            f"Анкету уже изменили (версия {current}, а ваша — {expected}). "
            "Обновите страницу и повторите.",
            {"version": [f"Текущая версия: {current}."]},
        )


def _store(submission, read_version):
    """Write the changed submission only if nobody wrote it since it was read at
    ``read_version`` (compare-and-set): of two racing requests exactly one wins."""
    values = {
        Submission._meta.fields[name]: value
        for name, value in submission.__data__.items()
        if name != "id"
    }
    written = (
        Submission.update(values)
        .where(Submission.id == submission.id, Submission.version == read_version)
        .execute()
    )
    if written != 1:
        raise WorkflowError(
            409,
            "version_conflict",
            "Анкету только что изменил другой пользователь. Обновите страницу и повторите.",
        )


def diff(before: dict, after: dict) -> dict:
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


@contextmanager
def _writing(submission=None, *, lock=False):
    """One change: its transaction inside an event scope (events go out after the commit).
    If it fails, the in-memory ``submission`` is put back as it was read, so a page that
    shows it after a refusal shows what is stored."""
    before = dict(submission.__data__) if submission is not None else None
    try:
        with events.collecting(), write_transaction() if lock else database.atomic():
            yield
    except BaseException:
        if submission is not None:
            submission.__data__.clear()
            submission.__data__.update(before)
        raise


def _record(submission, user, action, from_state, to_state, changes=None, comment=""):
    """The history entry, the webhooks' outbox rows and the blocks' callbacks of a change
    (inside its transaction)."""
    SubmissionEvent.create(
        submission=submission,
        user=user,
        action=action,
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        comment=comment,
    )
    webhooks.enqueue(submission, action, from_state, to_state)
    try:
        submission_hooks.changing(submission, action, from_state, to_state, user)
    except WorkflowError:
        raise
    except Exception as error:
        # A block could not keep its derived state: nothing of the change may stay.
        log.exception("a block refused %s of submission %s", action, submission.id)
        detail = f": {error}" if isinstance(error, ValueError) and str(error) else "."
        raise WorkflowError(
            409,
            "block_refused",
            "Изменение не сохранено: программный блок не смог его обработать" + detail,
        ) from error


def _validated(definition, payload, *, full, refs):
    try:
        return load(definition, payload, full=full, refs=refs)
    except ValidationError as error:
        raise WorkflowError(
            422, "validation_error", "Проверьте заполнение формы.", flatten(error.messages)
        ) from None


def block_checks(campaign, org, data, *, full) -> dict:
    """Errors (refuse) and warnings (confirm on submit) from the blocks' own rules."""
    errors, warnings = {}, {}
    for answer in submission_hooks.check_answers(campaign, org, data, full):
        for target, found in ((errors, answer.get("errors")), (warnings, answer.get("warnings"))):
            for path, messages in (found or {}).items():
                target.setdefault(path, []).extend(messages)
    if errors:
        raise WorkflowError(422, "validation_error", "Проверьте заполнение формы.", errors)
    return warnings


def save_draft(campaign, org, staff, payload, *, expected_version, user, refs):
    """Create or update the draft (or returned) submission with ``payload``."""
    check_campaign_accepts_changes(campaign, org)
    definition = campaign.form.definition
    data = _validated(definition, payload, full=False, refs=refs)
    block_checks(campaign, org, data, full=False)
    with _writing(lock=True):
        submission = find(campaign, org, staff, include_deleted=True, for_update=True)
        if submission is not None and submission.deleted_at is not None:
            raise WorkflowError(
                409, "in_trash", "Анкета удалена в корзину; её может восстановить проверяющий."
            )
        if submission is not None:
            _locked(submission)
        _check_version(submission, expected_version)
        if submission is None:
            submission = Submission.create(
                campaign=campaign,
                organization=org,
                staff=staff,
                subject_key=subject_key(org, staff),
                data=data,
            )
            _record(submission, user, "create", None, "draft", diff({}, data))
            return submission, "create", None
        changes = diff(submission.data, data)
        if not changes:
            return submission, None, submission.state
        read_version = submission.version
        submission.data = data
        submission.version += 1
        submission.updated_at = utcnow()
        _store(submission, read_version)
        _record(submission, user, "save", submission.state, submission.state, changes)
    return submission, "save", submission.state


def submit(submission, *, expected_version, user, refs, confirm_warnings=False):
    campaign = submission.campaign
    check_campaign_accepts_changes(campaign, submission.organization)
    if submission.state not in ("draft", "returned"):
        _locked(submission)
    _check_version(submission, expected_version)
    _validated(campaign.form.definition, submission.data, full=True, refs=refs)
    warnings = block_checks(campaign, submission.organization, submission.data, full=True)
    if warnings and not confirm_warnings:
        raise WorkflowError(
            409,
            "confirmation_required",
            "Есть предупреждения: проверьте их и подтвердите отправку (confirm_warnings).",
            warnings,
        )
    note = "; ".join(f"{path}: {' '.join(m)}" for path, m in warnings.items())
    now = clock.stamp()
    old = submission.state
    with _writing(submission):
        read_version = submission.version
        submission.state = "submitted"
        submission.submitted_at = now
        if submission.first_submitted_at is None:
            # Judged once, against the deadline in force now: a later change of the
            # deadline never rewrites it.
            submission.first_submitted_at = now
            submission.deadline_in_force = campaign.deadline
            submission.late = clock.is_late(campaign, now)
        submission.version += 1
        submission.updated_at = now
        _store(submission, read_version)
        _record(
            submission,
            user,
            "submit",
            old,
            "submitted",
            comment=f"Подтверждены предупреждения: {note}" if note else "",
        )
    return old


def _transition(submission, action, allowed_from, to_state, user, comment="", **updates):
    old = submission.state
    if old not in allowed_from:
        names = ", ".join(f"«{STATES[s]}»" for s in allowed_from)
        raise WorkflowError(
            409,
            "invalid_transition",
            f"Действие недоступно: анкета в состоянии «{STATES[old]}», нужно {names}.",
        )
    with _writing(submission):
        read_version = submission.version
        submission.state = to_state
        submission.version += 1
        submission.updated_at = utcnow()
        for key, value in updates.items():
            setattr(submission, key, value)
        _store(submission, read_version)
        _record(submission, user, action, old, to_state, comment=comment)
    return old


def return_for_revision(submission, *, reason, field_comments, user):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(
            422, "validation_error", "Укажите причину возврата.", {"reason": ["Обязательное поле."]}
        )
    known = set(field_map(submission.campaign.form.definition))
    unknown = [name for name in field_comments if name.split(".")[0] not in known]
    if unknown:
        raise WorkflowError(
            422,
            "validation_error",
            "Комментарии к несуществующим полям.",
            {f"field_comments.{name}": ["Нет такого поля в форме."] for name in unknown},
        )
    return _transition(
        submission,
        "return",
        ("submitted",),
        "returned",
        user,
        comment=reason,
        review_comment=reason,
        field_comments=field_comments,
    )


def accept(submission, *, user):
    return _transition(
        submission,
        "accept",
        ("submitted",),
        "accepted",
        user,
        accepted_at=utcnow(),
        review_comment="",
        field_comments={},
    )


def reopen(submission, *, reason, user):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(
            422,
            "validation_error",
            "Укажите, зачем открываете принятую анкету.",
            {"reason": ["Обязательное поле."]},
        )
    with _writing(submission):  # the transition and its audit entry, or neither
        old = _transition(
            submission,
            "reopen",
            ("accepted",),
            "returned",
            user,
            comment=reason,
            review_comment=reason,
        )
        audit.record(
            "reopen",
            user=user,
            object_type="submission",
            object_id=submission.id,
            scope_path=submission.organization.path,
            before={"state": old},
            after={"state": "returned", "reason": reason},
        )
    return old


def delete(submission, *, user, administrator):
    if submission.state != "draft" and not administrator:
        raise WorkflowError(
            409,
            "not_a_draft",
            "Удалить можно только черновик; отправленные анкеты удаляет администратор.",
        )
    with _writing(submission):
        submission.deleted_at, submission.deleted_by = utcnow(), user
        submission.save()
        _record(submission, user, "delete", submission.state, submission.state)
        audit.record(
            "delete",
            user=user,
            object_type="submission",
            object_id=submission.id,
            scope_path=submission.organization.path,
            before={"state": submission.state},
        )


def restore(submission, *, user):
    with _writing(submission):
        submission.deleted_at, submission.deleted_by = None, None
        submission.save()
        _record(submission, user, "restore", submission.state, submission.state)
        audit.record(
            "restore",
            user=user,
            object_type="submission",
            object_id=submission.id,
            scope_path=submission.organization.path,
        )


def accept_each(submissions, *, user) -> dict:
    """Accept each submission in a transaction of its own (bulk acceptance)."""
    return _each(submissions, lambda s: accept(s, user=user))


def return_each(submissions, *, reason, user) -> dict:
    """Return each submission for revision with one reason, each in its own transaction."""
    return _each(
        submissions, lambda s: return_for_revision(s, reason=reason, field_comments={}, user=user)
    )


def _each(submissions, change) -> dict:
    """{"done": [submission...], "refused": {submission: Russian message}}: one refusal
    (or one block refusing) leaves the others changed."""
    done, refused = [], {}
    for submission in submissions:
        try:
            change(submission)
        except WorkflowError as error:
            refused[submission] = error.message
        else:
            done.append(submission)
    return {"done": done, "refused": refused}


def subject_key(org, staff) -> str:
    return f"s{staff.id}" if staff is not None else f"o{org.id}"


def find(campaign, org, staff, *, include_deleted=False, for_update=False):
    key = subject_key(org, staff)
    query = Submission.select().where(
        Submission.campaign == campaign.id, Submission.subject_key == key
    )
    if not include_deleted:
        query = query.where(Submission.deleted_at.is_null())
    locked = for_update and not is_sqlite()  # SQLite locks the whole database on write anyway
    if locked:
        query = query.for_update()
    shape = f"forms.find:{include_deleted}:{locked}"
    return first_cached(shape, query, (campaign.id, key))
