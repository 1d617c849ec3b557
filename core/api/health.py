"""GET /api/v1/health: is the service up and its database reachable."""

from core import __version__, db
from core.api.auth import public
from core.api.blueprint import Blueprint
from core.db import database
from core.schemas.misc import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Состояние сервиса")


@blp.route("/health")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="База данных недоступна")
@public
def health():
    # No connection is opened before this view (core.db.LAZY_ENDPOINTS): a database that
    # is down is reported here, not answered with the generic error.
    try:
        database.execute_sql("SELECT 1")
    except Exception as error:
        if not db.is_unavailable(error):
            raise
        from core.api import database_unavailable

        database_unavailable(error)  # logged, rate-limited
        db.discard_connection()
        return {"status": "unavailable", "database": "unavailable", "version": __version__}, 503
    return {"status": "ok", "database": "ok", "version": __version__}
