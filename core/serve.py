"""The production HTTP server: waitress, with deadlines for clients that never finish.

Why waitress (and not gunicorn, which the tests and benchmarks use to measure the app):
gunicorn's sync and gthread workers hand a connection to a worker thread before its
request is read, and read it there without a deadline: four clients that never finish
their body held every worker thread and the service stopped answering.  An async gunicorn
worker (gevent) would need the database drivers patched.  waitress reads every request —
head and body — in its asynchronous front (one thread, any number of connections) and
hands a request to its worker threads only once it is complete, so a slow client costs a
socket, never a thread.  Deadlines close the connections that are idle (``channel
timeout``) or that keep a request open too long by sending a byte now and then (``request
timeout``, added here); a connection that ends before its declared body does is closed
without running anything.  ``ident=""``: no ``Server`` banner.

All settings are ``METODNET_SERVE_*`` variables or options of ``metodnet serve``.
"""

import logging
import socket
import time

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

log = logging.getLogger(__name__)

DEFAULTS = {
    "threads": 8,  # requests run at once (each holds one database connection)
    "connection_limit": 500,  # open connections, slow ones included
    "channel_timeout": 30,  # s: a connection with nothing received or sent is closed
    "request_timeout": 60,  # s: a request not fully received by then is closed
}


class DeadlineChannel(HTTPChannel):
    """A connection that remembers when its unfinished request began to arrive."""

    receiving_since = None

    def received(self, data):
        result = super().received(data)
        if self.request is None:
            self.receiving_since = None
        elif self.receiving_since is None:
            self.receiving_since = time.monotonic()
        return result


class DeadlineServer(TcpWSGIServer):
    channel_class = DeadlineChannel

    def __init__(self, application, request_timeout: float, **kwargs):
        self.request_timeout = request_timeout
        super().__init__(application, **kwargs)

    def maintenance(self, now):
        super().maintenance(now)  # idle connections
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            since = getattr(channel, "receiving_since", None)
            if since is not None and since < cutoff and not channel.requests:
                log.info("closing a connection whose request took over %s s", self.request_timeout)
                channel.will_close = True


def build_server(
    app,
    *,
    host="127.0.0.1",
    port=5000,
    sock: socket.socket | None = None,
    threads=DEFAULTS["threads"],
    connection_limit=DEFAULTS["connection_limit"],
    channel_timeout=DEFAULTS["channel_timeout"],
    request_timeout=DEFAULTS["request_timeout"],
):
    """The server for ``app`` on host:port, or on ``sock`` when given (already bound)."""
    max_body = app.config["MAX_CONTENT_LENGTH"]
    where = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    adj = Adjustments(
        **where,
        threads=threads,
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
        # Maintenance (the deadlines above) runs this often.
        cleanup_interval=max(1, min(channel_timeout, request_timeout) // 3),
        # Above the app's own limits, so that the app answers them in Russian (414/431/413);
        # waitress answers beyond these with its own short text.
        max_request_header_size=256 * 1024,
        max_request_body_size=max_body + 1,
        ident="",
        asyncore_use_poll=True,  # select() cannot watch more than 1024 sockets
        expose_tracebacks=False,
    )
    kwargs = {"adj": adj}
    if sock is not None:
        kwargs.update(
            _sock=sock,
            bind_socket=False,
            sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
        )
    return DeadlineServer(app, request_timeout, **kwargs)


def serve(app, **options) -> None:
    server = build_server(app, **options)
    log.warning(
        "serving on http://%s:%s (%s threads)",
        server.effective_host,
        server.effective_port,
        server.adj.threads,
    )
    server.run()
