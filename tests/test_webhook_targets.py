"""Webhooks reach public addresses only: checked at registration and again at delivery."""

import http.server
import socket
import threading

import pytest

from core.db import database
from core.models import AuditEntry
from forms import webhook_targets, webhooks
from forms.models import Webhook, WebhookDelivery

SECRET = "0123456789abcdef"
REFUSAL = "Вебхук может вести только на публичный адрес"
INTERNAL = [
    "http://127.0.0.1/hook",
    "http://127.0.0.1:8080/hook",
    "http://localhost:8000/x",
    "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/hook",
    "http://172.16.5.4/hook",
    "http://192.168.0.10/hook",
    "http://0.0.0.0/hook",
    "http://[::]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",
    "http://[2002:a00:1::]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://2130706433/hook",
    "http://017700000001/hook",
    "http://0x7f000001/hook",
    "http://127.1/hook",
    "http://100.64.0.1/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
]


def register(api, world, url):
    return api.as_("operator").post(
        "/api/v1/webhooks",
        json={"organization_id": world.region.id, "url": url, "secret": SECRET},
    )


def nothing_stored():
    with database.connection_context():
        return (
            not Webhook.select().exists()
            and not AuditEntry.select().where(AuditEntry.object_type == "webhook").exists()
        )


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_at_registration(api, world, url):
    response = register(api, world, url)
    assert response.status_code == 422, response.json
    (message,) = response.json["error"]["fields"]["url"]
    # A few forms the URL field already refuses as malformed; the rest reach the address check.
    assert message == "Некорректный URL." or message.startswith(REFUSAL)
    assert nothing_stored()


@pytest.mark.parametrize("url", INTERNAL)
def test_the_address_check_itself_refuses_every_internal_form(app, url):
    with app.app_context(), pytest.raises(webhook_targets.TargetRefused, match=REFUSAL):
        webhook_targets.check_registration(url)


def test_public_addresses_are_accepted(api, world):
    assert register(api, world, "https://93.184.216.34/hook").status_code == 201
    assert register(api, world, "https://[2606:2800:220:1::1]/hook").status_code == 201


@pytest.fixture
def receiver():
    """A local HTTP server that records what it receives."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), body))
            if self.path == "/moved":  # as a hostile endpoint would: go look inside
                self.send_response(307)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            else:
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


@pytest.fixture
def dns(monkeypatch):
    """Names this test points somewhere, as a DNS server under an attacker's control would."""
    names = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return real(names[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def queue_event(world):
    with database.connection_context():
        hook = Webhook.get()
        WebhookDelivery.create(webhook=hook, event={"event": "submission.submit"})


def test_an_allowed_host_is_delivered_to(make_app, monkeypatch, receiver):
    monkeypatch.setenv("METODNET_WEBHOOK_ALLOW_HOSTS", "intranet.local, 127.0.0.1")
    app = make_app()
    from tests.conftest import Api, World

    with app.app_context(), database.connection_context():
        world = World()
    api = Api(app.test_client(), world.tokens)
    port, received = receiver
    assert register(api, world, f"http://127.0.0.1:{port}/hook").status_code == 201
    queue_event(world)
    with app.app_context(), database.connection_context():
        assert webhooks.deliver_due() == {"delivered": 1, "failed": 0, "gave_up": 0}
    ((path, headers, body),) = received
    assert path == "/hook"
    assert headers["X-Metodnet-Signature"] == webhooks.signature(SECRET, body)


def test_delivery_connects_to_the_checked_address(app, api, world, receiver, dns):
    port, received = receiver
    app.config["WEBHOOK_ALLOW_HOSTS"] = "hooks.example.org"
    dns["hooks.example.org"] = "127.0.0.1"
    assert register(api, world, f"http://hooks.example.org:{port}/in").status_code == 201
    queue_event(world)
    with app.app_context(), database.connection_context():
        assert webhooks.deliver_due()["delivered"] == 1
    ((path, headers, _),) = received
    assert path == "/in" and headers["Host"] == f"hooks.example.org:{port}"


def test_dns_rebinding_to_an_internal_address_fails_delivery(app, api, world, receiver, dns):
    port, received = receiver
    dns["rebind.example.org"] = "93.184.216.34"  # public when registered
    assert register(api, world, f"http://rebind.example.org:{port}/hook").status_code == 201
    dns["rebind.example.org"] = "127.0.0.1"  # then re-pointed at the server itself
    queue_event(world)
    with app.app_context(), database.connection_context():
        assert webhooks.deliver_due() == {"delivered": 0, "failed": 1, "gave_up": 0}
        delivery = WebhookDelivery.get()
    assert delivery.delivered_at is None and delivery.attempts == 1
    assert delivery.last_error == (
        "Вебхук может вести только на публичный адрес в интернете, "
        "не на «rebind.example.org» (127.0.0.1)."
    )
    assert received == []


def test_a_name_resolving_inside_is_refused_at_registration(api, world, dns):
    dns["metadata.example.org"] = "169.254.169.254"
    response = register(api, world, "https://metadata.example.org/latest")
    assert response.status_code == 422
    assert "169.254.169.254" in response.json["error"]["fields"]["url"][0]
    assert nothing_stored()


def test_redirects_are_not_followed(app, receiver):
    """An endpoint answering with a redirect to an internal address does not lead the server
    in: the answer counts as a failed delivery."""
    port, received = receiver
    app.config["WEBHOOK_ALLOW_HOSTS"] = "127.0.0.1"
    with app.app_context():
        status = webhook_targets.post(f"http://127.0.0.1:{port}/moved", b"{}", {}, 5)
    assert status == 307
    assert [path for path, _, _ in received] == ["/moved"]
