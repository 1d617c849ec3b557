"""The form of a staff record on the pages, and the way the API's answers land next to its
fields: the page loads what was typed with the API's schema, so the rules (lengths, years,
the category list, the first teaching year after fourteen) and their messages are the API's.
"""

from marshmallow import ValidationError
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional

from core.api.errors import ApiError, flatten
from core.models.staff import CATEGORIES
from core.web.forms import PageForm

REQUIRED = "Обязательное поле."
NOT_A_YEAR = "Укажите год числом, например 1985."


class StaffForm(PageForm):
    organization_id = SelectField("Организация", coerce=int, validate_choice=True)
    full_name = StringField("ФИО", [DataRequired(REQUIRED)])
    position = StringField("Должность", [DataRequired(REQUIRED)])
    code = StringField("Табельный номер", [Optional()])
    birth_year = IntegerField("Год рождения", [InputRequired(REQUIRED)])
    teaching_since = IntegerField("Год начала педагогической деятельности", [Optional()])
    subjects = StringField("Предметы (через «;»)", [Optional()])
    category = SelectField("Квалификационная категория", choices=list(CATEGORIES.items()))
    is_management = BooleanField("Управленческая команда")
    associations = StringField("Методические объединения (через «;»)", [Optional()])
    active = BooleanField("Работает")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for name in ("birth_year", "teaching_since"):
            field = self[name]
            if field.raw_data and field.raw_data[0].strip() and field.data is None:
                field.errors[:] = [NOT_A_YEAR]  # WTForms' own text is English
        self.organization_id.errors[:] = [
            "Выберите организацию из списка." for _ in self.organization_id.errors[:1]
        ]
        return valid


def _listing(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ";").split(";") if part.strip()]


def body_of(form: StaffForm, *, with_active: bool) -> dict:
    """The API's request body for what the form holds."""
    body = {
        "full_name": form.full_name.data.strip(),
        "position": form.position.data.strip(),
        "code": (form.code.data or "").strip() or None,
        "birth_year": form.birth_year.data,
        "teaching_since": form.teaching_since.data,
        "subjects": _listing(form.subjects.data),
        "category": form.category.data,
        "is_management": form.is_management.data,
        "associations": _listing(form.associations.data),
    }
    if with_active:
        body["active"] = form.active.data
    return body


def show_errors(form: StaffForm, error: ValidationError | ApiError) -> None:
    """Put the schema's or the API's field messages next to the form's fields
    ("subjects.0" next to «Предметы»); a message of no field goes to the organisation."""
    found = flatten(error.messages) if isinstance(error, ValidationError) else error.fields
    if isinstance(error, ApiError) and not found:
        found = {"organization_id": [error.message]}
    for key, messages in found.items():
        try:
            field = form[key.split(".")[0]]
        except KeyError:
            field = form.organization_id
        field.errors = [*field.errors, *messages]
