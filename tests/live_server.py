"""A real metodnet server process for the concurrency and crash tests: gunicorn with several
worker processes on 127.0.0.1, on a socket bound to a free port by the test itself (handed to
gunicorn as fd://, so no other process can take the port between choosing and binding);
or the production server, ``metodnet serve --fd`` (``server="serve"``)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
METODNET = str(Path(sys.executable).with_name("metodnet"))


class LiveServer:
    def __init__(
        self,
        database_url: str,
        instance: Path,
        workers: int = 3,
        threads: int = 2,
        app: str = "core.app:create_app()",
        server: str = "gunicorn",
        env: dict | None = None,
        ready_status: int = 200,
    ):
        self.ready_status = ready_status  # 503: ready although its database is down
        self.server = server
        self.extra_env = env or {}
        self.database_url = database_url
        self.app = app  # gunicorn's app spec: a test may serve a factory of its own
        self.instance = Path(instance)
        self.workers, self.threads = workers, threads
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.process = None
        self.log = self.instance / "gunicorn.log"

    def start(self):
        env = {
            **os.environ,
            "METODNET_DATABASE_URL": self.database_url,
            "METODNET_INSTANCE_PATH": str(self.instance),
            "METODNET_SECRET_KEY": "live-server-test",
            "METODNET_SESSION_COOKIE_SECURE": "0",  # plain http on 127.0.0.1
            # This checkout's code, also for the `metodnet` script of a shared venv.
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            **self.extra_env,
        }
        self.instance.mkdir(parents=True, exist_ok=True)
        fd = self.sock.fileno()
        os.set_inheritable(fd, True)
        serve = [METODNET, "serve", "--fd", str(fd), "--threads", str(self.threads)]
        command = serve if self.server == "serve" else [
            GUNICORN,
            "--bind", f"fd://{fd}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", "gthread",
            "--timeout", "60",
            "--graceful-timeout", "1",
            self.app,
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            # A session of its own: SIGKILL reaches the master and every worker at once.
            self.process = subprocess.Popen(
                command, env=env, pass_fds=(fd,), stdout=log, stderr=log, start_new_session=True
            )
        self.wait_ready(status=self.ready_status)
        return self

    def wait_ready(self, limit_s: float = 60, status: int = 200):
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).status_code == status:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def kill(self):
        """SIGKILL the master and its workers: no cleanup, no graceful shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self):
        self.stop()
        self.sock.close()


@contextlib.contextmanager
def in_chromium(app, folder):
    """The app's database served by a real server, and Debian's Chromium to drive it: the
    set-up every browser test over a prepared database shares.  The caller's connection is
    closed first so the server's workers see what the test wrote."""
    from playwright.sync_api import sync_playwright

    from core.db import database
    from tests.test_browser_journey import CHROMIUM, FLAGS

    if not database.is_closed():
        database.close()
    server = LiveServer(app.config["DATABASE_URL"], folder, workers=2).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield server, browser
        finally:
            browser.close()
            server.close()
