"""GET /api/v1/health: is the service up and its database reachable."""

from core import __version__
from core.api.auth import public
from core.api.blueprint import Blueprint
from core.db import database
from core.schemas.misc import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Состояние сервиса")


@blp.route("/health")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
@public
def health():
    database.execute_sql("SELECT 1")
    return {"status": "ok", "database": "ok", "version": __version__}
