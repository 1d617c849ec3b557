"""The WTForms forms of the users pages and the choices of their pickers: only the roles
the person may grant (``Principal.may_grant``), only organisations of their own scope."""

from marshmallow import ValidationError as SchemaError
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from core import access
from core.access import ROOT
from core.api import scoping
from core.models import Organization
from core.schemas.user import UserSchema
from core.web.forms import PageForm

REQUIRED = "Обязательное поле."
WHOLE_SYSTEM = ""  # the scope choice of an installation-wide grant (administrators only)


def declared_role(form, field):
    if field.data and not access.is_role(field.data):
        raise ValidationError("Неизвестная роль.")


class GrantForm(PageForm):
    # Any declared role passes the form: the rank rule (resolve_grant) answers the rest in
    # words, as the API does.
    role = SelectField("Роль", [DataRequired(REQUIRED), declared_role], validate_choice=False)
    scope_id = SelectField("Где действует", validate_choice=False)


class NewUserForm(GrantForm):
    login = StringField("Логин", [DataRequired(REQUIRED)])
    full_name = StringField("ФИО", [DataRequired(REQUIRED)])
    email = StringField("Электронная почта")
    password = PasswordField("Пароль", [DataRequired(REQUIRED)])


class PasswordForm(PageForm):
    current = PasswordField("Текущий пароль", [DataRequired(REQUIRED)])
    password = PasswordField("Новый пароль", [DataRequired(REQUIRED)])
    repeat = PasswordField(
        "Новый пароль ещё раз",
        [DataRequired(REQUIRED), EqualTo("password", "Пароли не совпадают.")],
    )


def scope_choices(principal) -> list[tuple[str, str]]:
    """Organisations where the person manages users, indented by depth (one query)."""
    scopes = principal.scopes("user.write")
    choices = [(WHOLE_SYSTEM, "Вся система")] if ROOT in scopes else []
    orgs = Organization.select().where(scoping.in_scopes(Organization.path, scopes))
    for org in orgs.order_by(Organization.path):
        choices.append((str(org.id), "\u2003" * (org.depth - 1) + org.name))
    return choices


def role_choices(principal) -> list[tuple[str, str]]:
    """Roles the person may grant somewhere (a teacher is granted from the staff roster:
    the role names their staff record)."""
    scopes = principal.scopes("user.write")
    return [
        (code, role["title"])
        for code, role in sorted(access.table().roles.items(), key=lambda r: -r[1]["rank"])
        if code != "teacher" and any(principal.may_grant(code, path) for path in scopes)
    ]


def with_choices(form, principal):
    form.role.choices = role_choices(principal)
    form.scope_id.choices = scope_choices(principal)
    return form


def grant_body(form) -> dict:
    scope = form.scope_id.data
    return {"role": form.role.data, "scope_id": int(scope) if scope else None}


def account_problems(form) -> bool:
    """Check login, name and e-mail by the API's own schema; put its messages next to the
    fields.  True when something is wrong."""
    values = {
        "login": form.login.data or "",
        "password": form.password.data or "",
        "full_name": form.full_name.data or "",
    }
    if (form.email.data or "").strip():  # none given: the schema's default, no address
        values["email"] = form.email.data.strip()
    try:
        UserSchema().load(values)
    except SchemaError as error:
        for name, messages in error.messages.items():
            if hasattr(form, name):
                getattr(form, name).errors = list(getattr(form, name).errors) + messages
        return True
    return False
