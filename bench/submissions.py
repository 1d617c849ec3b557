"""Submissions over HTTP: the product's save endpoint vs a bare Flask endpoint, under wrk.

Both apps are served by gunicorn (2 sync workers) on a socket bound to a free port on
127.0.0.1; wrk (2 threads, 32 connections) PUTs a valid answer of a 15-field and of a
250-field form, each request for another organisation, so every request creates a row.

Product: PUT /api/v1/campaigns/{id}/submissions/{org} with a school coordinator's bearer
token (authentication, scope rule, audience, form-engine validation of every field,
version check, the row and its history event, the blocks' hooks, JSON answer).
Baseline: PUT /answers/{org}, a marshmallow schema of the same fields, one INSERT.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.form_fixture import answer, definition

THREADS, CONNECTIONS = 2, 32
LUA = r"""
local first = tonumber(os.getenv("BENCH_FIRST_ID"))
local prefix = os.getenv("BENCH_PATH")
local file = io.open(os.getenv("BENCH_BODY"))
local body = file:read("*a")
file:close()
local headers = {["Content-Type"] = "application/json"}
if os.getenv("BENCH_TOKEN") ~= "" then
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end
local threads, count = 0, 0

function setup(thread)
  thread:set("tid", threads)
  thread:set("nthreads", tonumber(os.getenv("BENCH_THREADS")))
  threads = threads + 1
end

function request()
  local id = first + count * nthreads + tid
  count = count + 1
  return wrk.format("PUT", prefix .. id, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


class Server:
    """gunicorn with 2 workers on an already bound socket (no port race)."""

    def __init__(self, app_spec, env):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        fd = self.sock.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"fd://{fd}", "--preload"]
            + ["--log-level", "warning", app_spec],
            env={**os.environ, **env},
            pass_fds=[fd],
            start_new_session=True,
        )

    def wait(self, path):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5)
                return
            except urllib.error.HTTPError:
                return  # answering (404 or 401 is fine)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)
        self.sock.close()


def run_wrk(port, path, body_file, token, first_id, seconds):
    script = Path(body_file).with_suffix(".lua")
    script.write_text(LUA)
    env = {
        **os.environ,
        "BENCH_FIRST_ID": str(first_id),
        "BENCH_PATH": path,
        "BENCH_BODY": str(body_file),
        "BENCH_TOKEN": token or "",
        "BENCH_THREADS": str(THREADS),
    }
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
        + ["-s", str(script), f"http://127.0.0.1:{port}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _product_world(app, sizes, organizations):
    """Organisations, one campaign per form size, a coordinator for the whole region."""
    import datetime as dt

    from core import demo_scale
    from core.db import database
    from core.models import Organization, RoleGrant, User
    from core.security import tokens
    from forms.definition import load_definition
    from forms.store import save

    scale = demo_scale.Scale(1, 6, 60, organizations, organizations)
    with app.app_context(), database.connection_context():
        demo_scale.load(scale, seed=1, blocks=())
        region = Organization.get(Organization.kind == "region")
        user = User.create(login="bench.coordinator", password_hash="x", full_name="bench")
        RoleGrant.create(user=user, role="school_coordinator", scope=region)
        token, _ = tokens.issue(user, 24)
        campaigns = {}
        for n in sizes:
            form, _ = save(load_definition(definition(n)))
            campaigns[n] = demo_scale.open_campaign(
                form,
                {"id": region.id},
                f"Бенчмарк, {n} полей",
                ["school", "kindergarten", "additional"],
                deadline=dt.date(2099, 1, 1),
            ).id
        first = (
            Organization.select(Organization.id)
            .where(Organization.kind == "school")
            .order_by(Organization.id)
            .first()
            .id
        )
    return token, campaigns, first


def _count(app, campaign_id):
    from core.db import database
    from forms.models import Submission

    with app.app_context(), database.connection_context():
        return Submission.select().where(Submission.campaign == campaign_id).count()


def _combine(rounds):
    """Requests over total time; medians of the rounds' percentiles."""
    import statistics

    duration = sum(r["duration_us"] for r in rounds) / 1e6
    return {
        "rps": sum(r["requests"] for r in rounds) / duration,
        "p50_ms": statistics.median(r["p50_us"] for r in rounds) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in rounds) / 1000,
        "errors": sum(r["non2xx"] + r["socket_errors"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
    }


def run(app, url, backend, sizes=(15, 250), seconds=5, rounds=3, organizations=20_000):
    """Product and baseline for each form size, alternating in ``rounds`` of ``seconds``
    so that both see the same background load; returns rows for the results table."""
    token, campaigns, first_org = _product_world(app, sizes, organizations)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        product_env = {
            "METODNET_DATABASE_URL": url,
            "METODNET_INSTANCE_PATH": str(instance),
            "METODNET_SECRET_KEY": "bench",
        }
        for n in sizes:
            body = Path(tmp) / f"body-{n}.json"
            body.write_text(json.dumps({"data": answer(n), "version": 0}, ensure_ascii=False))
            product = Server("core.app:create_app()", product_env)
            baseline = Server(
                "bench.baseline_app:create_app()",
                {"BENCH_DATABASE_URL": url, "BENCH_FIELDS": str(n)},
            )
            sides = {
                "product": (product, f"/api/v1/campaigns/{campaigns[n]}/submissions/", token),
                "baseline": (baseline, "/answers/", None),
            }
            measured = {"product": [], "baseline": []}
            # Every product request needs an organisation it has not answered for yet.
            next_org = first_org
            before = _count(app, campaigns[n])
            try:
                product.wait("/api/v1/health")
                baseline.wait("/")
                for round_number in range(rounds + 1):
                    for side, (server, path, auth) in sides.items():
                        result = run_wrk(
                            server.port,
                            path,
                            body,
                            auth,
                            next_org,
                            2 if not round_number else seconds,
                        )
                        if side == "product":
                            next_org += result["requests"] + 2 * CONNECTIONS
                        if round_number:  # the first round warms both up
                            measured[side].append(result)
            finally:
                product.stop()
                baseline.stop()
            created = _count(app, campaigns[n]) - before
            ours, theirs = _combine(measured["product"]), _combine(measured["baseline"])
            results.append(
                {
                    "backend": backend,
                    "fields": n,
                    "product_rps": round(ours["rps"], 1),
                    "baseline_rps": round(theirs["rps"], 1),
                    "ratio": round(ours["rps"] / theirs["rps"], 2),
                    "product_p50_ms": round(ours["p50_ms"], 1),
                    "product_p99_ms": round(ours["p99_ms"], 1),
                    "baseline_p50_ms": round(theirs["p50_ms"], 1),
                    "baseline_p99_ms": round(theirs["p99_ms"], 1),
                    "product_errors": ours["errors"],
                    "baseline_errors": theirs["errors"],
                    "product_rows_created": created,
                }
            )
            print(results[-1], flush=True)
    return results
