"""WTForms of the diagnostics pages; messages in Russian, shown next to their fields."""

from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from plugins.diagnostics.catalogue import AREAS

REQUIRED = "Обязательное поле."


class RussianForm(Form):
    """WTForms' own messages (a malformed number or date) in Russian too."""

    class Meta:
        locales = ["ru"]


class StepDoneForm(RussianForm):
    """A step marked done: evidence of completion is required (as in the API)."""

    evidence = TextAreaField(
        "Подтверждение выполнения",
        validators=[
            DataRequired("Для выполненного шага укажите подтверждение выполнения."),
            Length(max=4000, message="Не длиннее 4000 символов."),
        ],
    )


class RouteForm(RussianForm):
    note = TextAreaField(
        "Комментарий к маршруту",
        validators=[Length(max=4000, message="Не длиннее 4000 символов.")],
    )


class AcceptForm(RussianForm):
    kind = SelectField(
        "Вид поддержки",
        choices=[SelectChoice("mentor", "Наставник"), SelectChoice("course", "Курс")],
    )
    target = IntegerField("Предложение", validators=[InputRequired(REQUIRED)])
    planned_start = DateField("Начало", validators=[Optional()], format="%Y-%m-%d")
    planned_end = DateField("Окончание", validators=[Optional()], format="%Y-%m-%d")

    def choice(self) -> dict:
        target = "staff_id" if self.kind.data == "mentor" else "course_id"
        return {
            "kind": self.kind.data,
            target: self.target.data,
            "planned_start": self.planned_start.data,
            "planned_end": self.planned_end.data,
        }


TITLE = [
    DataRequired(REQUIRED),
    Length(max=300, message="Не длиннее 300 символов."),
]


class DeficitForm(RussianForm):
    area = SelectField(
        "Область компетенций", choices=[SelectChoice(code, label) for code, label in AREAS.items()]
    )
    title = StringField("Название дефицита", validators=TITLE)


class DeficitTitleForm(RussianForm):
    title = StringField("Название", validators=TITLE)


class DeficitStateForm(RussianForm):
    active = HiddenField()


class CourseForm(RussianForm):
    title = StringField(
        "Название программы",
        validators=[DataRequired(REQUIRED), Length(max=500, message="Не длиннее 500 символов.")],
    )
    provider = StringField(
        "Организация-разработчик",
        validators=[DataRequired(REQUIRED), Length(max=300, message="Не длиннее 300 символов.")],
    )
    hours = IntegerField(
        "Часов",
        validators=[
            InputRequired("Укажите число часов."),
            NumberRange(min=1, max=2000, message="От 1 до 2000 часов."),
        ],
    )
    federal_register = BooleanField("В федеральном реестре ДПП")
    active = BooleanField("Действует", default=True)
    deficits = SelectMultipleField("Закрывает дефициты", coerce=int, choices=[])

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "provider": self.provider.data.strip(),
            "hours": self.hours.data,
            "federal_register": bool(self.federal_register.data),
            "active": bool(self.active.data),
            "deficits": list(self.deficits.data or []),
        }
