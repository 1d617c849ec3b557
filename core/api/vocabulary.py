"""The vocabularies (organisation statuses, support kinds...): GET /api/v1/vocabulary."""

from marshmallow import fields

from core import vocabulary
from core.api.auth import current
from core.api.blueprint import Blueprint
from core.schemas.base import BaseSchema

blp = Blueprint("vocabulary", __name__, url_prefix="/api/v1", description="Справочники")


class ChoiceSchema(BaseSchema):
    value = fields.String(metadata={"description": "Код (хранится и передаётся в API)"})
    label = fields.String(metadata={"description": "Название для людей"})


VocabularySchema = BaseSchema.from_dict(
    {kind: fields.List(fields.Nested(ChoiceSchema)) for kind in vocabulary.KINDS},
    name="VocabularySchema",
)


@blp.route("/vocabulary")
@blp.response(200, VocabularySchema)
def list_vocabulary():
    """Every vocabulary with its entries from the core and the installed blocks."""
    current()
    return {kind: vocabulary.choices(kind) for kind in vocabulary.KINDS}
