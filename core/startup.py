"""The plugins' start-up work, deferred while the database is unreachable.

Start-up stores what the engines need (the blocks' form versions) in the database.  A
server started while the database is down must still start and report it on
``/api/v1/health`` (503), then finish the start-up work at the first request that finds
the database back, without a restart.
"""

import logging
import threading

from core import db

log = logging.getLogger(__name__)

PENDING = "metodnet.startup_pending"
_lock = threading.Lock()


def run_or_defer(app) -> None:
    try:
        app.extensions["metodnet.pm"].hook.startup(app=app)
    except Exception as error:
        if not db.is_unavailable(error):
            raise
        db.discard_connection()
        log.warning("database unavailable at start-up (%s): start-up work deferred", error)
        app.extensions[PENDING] = True
        app.before_request(_finish_pending)


def _finish_pending():
    from flask import current_app, request

    if not current_app.extensions.get(PENDING) or request.endpoint in db.LAZY_ENDPOINTS:
        return
    with _lock:
        if current_app.extensions.get(PENDING):
            # Raises "unavailable" again while the database is still down: answered 503.
            current_app.extensions["metodnet.pm"].hook.startup(app=current_app)
            current_app.extensions[PENDING] = False
            log.warning("database reachable again: deferred start-up work done")
