"""The production server survives slow clients and truncated bodies; the database being down
at boot is reported, not fatal (a real `metodnet serve` process, see core/serve.py)."""

import socket
import time

import pytest
import requests

from core.db import database
from core.models import StaffMember
from tests.conftest import PG_URL
from tests.live_server import LiveServer

STAFF = '{"full_name": "Краткое Тело", "position": "учитель", "birth_year": 1980}'.encode()


@pytest.fixture
def served(app, world, tmp_path):
    """`metodnet serve` with 2 request threads on the test's database (users of `world`)."""
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "served", threads=2, server="serve")
    yield server.start()
    server.close()


def _open(server, head: bytes) -> socket.socket:
    port = int(server.url.rsplit(":", 1)[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(head)
    return sock


def _staff_request(world, declared: int) -> bytes:
    return (
        f"POST /api/v1/organizations/{world.a1.id}/staff HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {world.tokens['coord_a1']}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
    ).encode()


def _answer(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _staff_count(app):
    with app.app_context(), database.connection_context():
        return StaffMember.select().count()


def test_four_slow_clients_do_not_stop_a_fifth(served, world):
    # Four unauthenticated clients that send the head and never finish their body: with
    # gunicorn's threads each held a worker; here they wait in the async front.
    slow = [
        _open(served, b"POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        for _ in range(4)
    ]
    slow += [_open(served, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n") for _ in range(4)]
    try:
        for _ in range(3):
            health = requests.get(served.url + "/api/v1/health", timeout=20)
            assert health.status_code == 200 and health.json()["database"] == "ok"
            assert "Server" not in health.headers  # no banner
        listed = requests.get(
            served.url + "/api/v1/organizations",
            headers={"Authorization": f"Bearer {world.tokens['operator']}"},
            timeout=20,
        )
        assert listed.status_code == 200
        assert "Школа А1" in {item["name"] for item in listed.json()["items"]}
    finally:
        for sock in slow:
            sock.close()


def test_a_client_dripping_its_request_is_cut_off(app, tmp_path):
    """A byte now and then keeps a connection from being idle: the request deadline (not
    waitress's idle timeout, 30 s here) closes it."""
    server = LiveServer(
        app.config["DATABASE_URL"],
        tmp_path / "drip",
        server="serve",
        env={"METODNET_SERVE_REQUEST_TIMEOUT": "2"},
    ).start()
    try:
        sock = _open(server, b"GET /api/v1/health HTTP/1.1\r\n")
        closed = False
        for _ in range(200):  # up to 60 s of dripping
            try:
                sock.sendall(b"X")
                time.sleep(0.3)
            except OSError:
                closed = True
                break
            sock.setblocking(False)
            try:
                closed = sock.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed = True
            sock.setblocking(True)
            if closed:
                break
        sock.close()
        assert closed
    finally:
        server.close()


def test_a_body_shorter_than_its_length_is_never_executed(served, app, world):
    before = _staff_count(app)
    sock = _open(served, _staff_request(world, len(STAFF) + 40) + STAFF)
    sock.shutdown(socket.SHUT_WR)  # the client is done: the declared 40 bytes never come
    answer = _answer(sock)
    sock.close()
    # waitress never dispatches an incomplete request: the connection ends, nothing runs.
    assert b" 201 " not in answer
    assert _staff_count(app) == before
    # The same request, complete, is executed (the request itself is a valid one).
    sock = _open(served, _staff_request(world, len(STAFF)) + STAFF)
    assert _answer_head(sock).startswith(b"HTTP/1.1 201")
    assert _staff_count(app) == before + 1


def _answer_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    sock.close()
    return data


def test_a_short_body_is_refused_by_the_app_behind_any_server(app, world, tmp_path):
    # gunicorn passes the stream through as it is (wsgi.input_terminated): the app's own
    # check answers 400 before any view runs.
    server = LiveServer(app.config["DATABASE_URL"], tmp_path / "gunicorn", workers=1).start()
    try:
        before = _staff_count(app)
        sock = _open(server, _staff_request(world, len(STAFF) + 40) + STAFF)
        sock.shutdown(socket.SHUT_WR)
        answer = _answer(sock).decode()
        sock.close()
        assert answer.startswith("HTTP/1.1 400")
        assert '"code":"incomplete_body"' in answer.replace(" ", "")
        assert "короче заявленной длины" in answer
        assert _staff_count(app) == before
    finally:
        server.close()


def test_the_production_server_lets_the_app_answer_limits_in_russian(served, world):
    operator = {"Authorization": f"Bearer {world.tokens['operator']}"}
    long_query = requests.get(
        served.url + "/api/v1/organizations?q=" + "a" * 200_000, headers=operator, timeout=20
    )
    assert long_query.status_code == 414
    assert long_query.json()["error"]["code"] == "uri_too_long"
    long_header = requests.get(
        served.url + "/api/v1/organizations",
        headers={**operator, "Idempotency-Key": "k" * 10_000},
        timeout=20,
    )
    assert long_header.status_code == 431
    assert "Idempotency-Key" in long_header.json()["error"]["message"]


def _unreachable_database_url(tmp_path) -> str:
    if PG_URL:
        free = socket.socket()
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
        free.close()  # nothing listens there
        return f"postgresql://postgres@127.0.0.1:{port}/metodnet"
    return f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}"  # cannot be opened


def test_the_server_starts_with_the_database_down_and_says_so(tmp_path):
    server = LiveServer(
        _unreachable_database_url(tmp_path), tmp_path / "down", server="serve", ready_status=503
    ).start()
    try:
        health = requests.get(server.url + "/api/v1/health", timeout=20)
        assert health.status_code == 503
        assert health.json()["database"] == "unavailable"
        api = requests.get(server.url + "/api/v1/organizations", timeout=20)
        assert api.status_code == 503
        assert api.json()["error"]["code"] == "unavailable"
        assert "База данных временно недоступна" in api.json()["error"]["message"]
        page = requests.get(server.url + "/", timeout=20)
        assert page.status_code == 503 and "недоступн" in page.text
        assert page.headers["Content-Type"].startswith("text/html")
    finally:
        server.close()
