"""The main pages of each role on `metodnet demo --scale region` vs the SQL they read.

Data: the region scale (2,628 organisations, 120,000 staff, the blocks' data and the
demo logins ``operator``, ``metodist``, ``school``).  Product: each page through the
Flask test client in-process, signed in as its role (session cookie, CSRF-free GET),
after one warm-up call: the median of ``repeat`` calls.  Baseline: the SELECT
statements that very page executed during one request, captured at the database's
``execute_sql`` and replayed with their parameters through the raw DB-API cursor
(rows fetched as tuples), timed the same way.  Writes a page makes (the personal-data
read log) are product cost, not baseline: the target is about the SQL a page must read.
Target (issue 15): product ≤ 3× baseline.
"""

import re
import statistics
import time

from core import demo_scale
from core.db import database
from core.models import Organization
from forms.models import Campaign

TARGET = 3.0


def _median(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pages(region, muni, campaign):
    """(role login, label, URL) for the daily pages of each role."""
    m, c, r = muni.id, campaign.id, region.id
    area = [
        ("/", "home"),
        ("/organizations", "organisation tree"),
        (f"/organizations/{m}", "municipality card"),
        (f"/staff/organizations/{m}", "staff roster, page 1"),
        ("/campaigns", "campaigns"),
        ("/review", "review overview"),
        (f"/campaigns/{c}/review", "review queue"),
        (f"/mentoring/organizations/{m}/pairs", "mentoring pairs"),
        (f"/diagnostics/organizations/{m}/results", "diagnostics results"),
        ("/exports", "exports"),
    ]
    operator = area + [
        (f"/campaigns/{c}/progress?scope={r}", "progress, region"),
        (f"/indicators?scope={r}", "indicators, region"),
        ("/audit-log", "audit log"),
    ]
    methodist = area + [
        (f"/campaigns/{c}/progress?scope={m}", "progress, municipality"),
        (f"/indicators?scope={m}", "indicators, municipality"),
    ]
    school = [("/", "home"), ("/campaigns", "campaigns")]
    return (
        [("operator", label, url) for url, label in operator]
        + [("metodist", label, url) for url, label in methodist]
        + [("school", label, url) for url, label in school]
    )


def _client(app, login):
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/signin", data={"login": login, "password": demo_scale.PASSWORD, "nonce": nonce}
    )
    assert answer.status_code == 302, (login, answer.status_code)
    return client


def _capture(fn):
    """Run fn, returning the (sql, params) of every statement it executed."""
    db = database.obj
    statements = []
    original = db.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        statements.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = recording
    try:
        fn()
    finally:
        del db.execute_sql  # the class's method again
    return statements


def _is_read(sql):
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def _replay(reads):
    with database.connection_context():
        cursor = database.connection().cursor()
        for sql, params in reads:
            cursor.execute(sql, params)
            cursor.fetchall()
        cursor.close()


def run(app, backend, repeat=5, seed=2025):
    start = time.perf_counter()
    with app.app_context(), database.connection_context():
        demo_scale.load(demo_scale.SCALES["region"], seed=seed)
        region = Organization.get(Organization.kind == "region")
        muni = (
            Organization.select()
            .where(Organization.kind == "municipality")
            .order_by(Organization.id)
            .first()
        )
        campaign = Campaign.select().order_by(Campaign.id).first()
        organizations = Organization.select().count()
    generated_s = round(time.perf_counter() - start, 1)
    print(f"{backend}: region generated in {generated_s} s", flush=True)
    clients = {}
    rows = []
    for login, label, url in _pages(region, muni, campaign):
        client = clients.get(login) or clients.setdefault(login, _client(app, login))

        def product(client=client, url=url, login=login):
            answer = client.get(url)
            assert answer.status_code == 200, (login, url, answer.status_code)

        product()  # warm-up: templates compiled, caches filled
        with app.app_context():
            statements = _capture(product)
        reads = [s for s in statements if _is_read(s[0])]
        with app.app_context():
            _replay(reads)  # warm-up of the baseline too
            product_s = _median(product, repeat)
            baseline_s = _median(lambda reads=reads: _replay(reads), repeat)
        row = {
            "backend": backend,
            "role": login,
            "page": label,
            "url": url,
            "queries": len(statements),
            "reads": len(reads),
            "product_ms": round(product_s * 1000, 1),
            "baseline_ms": round(baseline_s * 1000, 1),
            "ratio": round(product_s / baseline_s, 2) if baseline_s else None,
            "organizations": organizations,
            "generated_s": generated_s,
        }
        print(row, flush=True)
        rows.append(row)
    return rows


def report(rows):
    """The RESULTS.md section."""
    from bench.report import _mark, _table

    lines = [
        "## 5. Pages of each role at the region scale (issue 15)",
        "",
        "`metodnet demo --scale region` (2,628 organisations, 120,000 staff), SQLite; the",
        "demo logins `operator` (region), `metodist` (municipality), `school` (coordinator).",
        "Product: the page through the Flask test client, signed in, median of 5 after a",
        "warm-up. Baseline: the SELECTs that page executed, captured during one request and",
        "replayed with their parameters through the raw DB-API cursor, median of 5. Overhead =",
        "product − baseline: where the SQL takes well under a millisecond the ratio measures",
        "the fixed cost of a request (session, permissions, menu, template), not the data.",
        "",
    ]
    table = [
        [
            r["page"],
            r["role"],
            f"`{r['url']}`",
            f"{r['reads']} / {r['queries']}",
            r["product_ms"],
            r["baseline_ms"],
            round(r["product_ms"] - r["baseline_ms"], 1),
            r["ratio"],
            _mark(r["ratio"] is not None and r["ratio"] <= TARGET),
        ]
        for r in rows
    ]
    lines += _table(
        [
            "page",
            "role",
            "URL",
            "reads / statements",
            "product, ms",
            "SQL, ms",
            "overhead, ms",
            "ratio",
            "≤ 3×",
        ],
        table,
    )
    met = sum(1 for r in rows if r["ratio"] is not None and r["ratio"] <= TARGET)
    lines += ["", f"Target product ≤ 3× SQL: met by {met} of {len(rows)} pages."]
    return lines
