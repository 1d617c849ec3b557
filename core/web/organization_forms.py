"""The WTForms forms of the organisation pages."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from core import vocabulary
from core.web.forms import PageForm

REQUIRED = "Обязательное поле."
CODE = Regexp(r"^[\w.\-]{1,64}$", message="Код: буквы, цифры, точка, дефис; до 64 символов.")


class OrganizationForm(PageForm):
    name = StringField("Полное название", [DataRequired(REQUIRED), Length(max=500)])
    short_name = StringField("Краткое название", [Optional(), Length(max=200)])
    code = StringField("Код", [DataRequired(REQUIRED), CODE])


class NewOrganizationForm(OrganizationForm):
    kind = SelectField("Тип", [DataRequired(REQUIRED)])


class StatusForm(PageForm):
    status = SelectField("Статус", [DataRequired(REQUIRED)])
    start_date = DateField("Действует с", [DataRequired("Укажите дату начала.")])
    end_date = DateField("по (включительно)", [Optional()])
    note = StringField("Примечание", [Optional(), Length(max=500)])


class EndForm(PageForm):
    end_date = DateField("Действует по", [DataRequired("Укажите дату окончания.")])


def status_form(data=None) -> StatusForm:
    form = StatusForm(data)
    form.status.choices = [
        (code, label) for code, label in vocabulary.labels("organization_statuses").items()
    ]
    return form
