"""`make bench` (`python -m bench [--country] [--only NAME ...]`): every benchmark on SQLite
and on PostgreSQL (when reachable), each beside its baseline measured in the same run.

Results go to bench/RESULTS.md (with the machine's description and load) and
bench/results.json.  Nothing here is a pass/fail test: the targets of issue 8 are
reported as met or missed.  ``--country`` adds the 1M-row points of the growth series
and the country-scale synthetic data (45,000 organisations, 1.2M staff).
"""

import argparse
import json
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path

from core import migrator
from core.app import create_app
from core.db import database
from core.plugin_access import migration_components

HERE = Path(__file__).parent
PG_ADMIN = os.environ.get("METODNET_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SECTIONS = ("submissions", "indicators", "progress", "exports", "imports", "pages", "generate")


def machine():
    cpus = os.cpu_count()
    memory = model = ""
    try:
        with open("/proc/meminfo") as info:
            total = next(line for line in info if line.startswith("MemTotal"))
        memory = f"{int(total.split()[1]) // 1024 // 1024} GiB RAM"
        with open("/proc/cpuinfo") as info:
            model = next(line for line in info if line.startswith("model name")).split(":")[1]
    except (OSError, StopIteration):
        pass
    cpu = model.strip() or platform.processor() or platform.machine()
    return f"{cpu}, {cpus} cores, {memory}, Python {platform.python_version()}"


def fresh_app(url):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}, load_entry_points=False)
    with app.app_context(), database.connection_context():
        migrator.upgrade(migration_components(app))
    from forms.engine import sync_plugin_forms

    sync_plugin_forms(app)  # as `metodnet db upgrade` does: the blocks' forms are stored
    return app


def postgres_urls():
    """(url of a new metodnet_bench_* database, drop()) or None when unreachable."""
    try:
        import psycopg2
    except ImportError:
        return None
    name = f"metodnet_bench_{uuid.uuid4().hex[:8]}"
    try:
        conn = psycopg2.connect(PG_ADMIN)
    except psycopg2.OperationalError:
        return None
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop():
        if not database.is_closed():
            database.close()
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop


def backends():
    """Yield (backend name, url, app) for SQLite and, if reachable, PostgreSQL; each fresh."""

    def each(task):
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            results.append(task("sqlite", url, fresh_app(url)))
        pg = postgres_urls()
        if pg is None:
            print("PostgreSQL not reachable: skipped", flush=True)
            return results
        url, drop = pg
        try:
            results.append(task("postgresql", url, fresh_app(url)))
        finally:
            drop()
        return results

    return each


def run(args) -> dict:
    from bench import exports, indicators, progress, submissions

    each = backends()
    results = {"machine": machine(), "country": args.country}
    results["load_before"] = os.getloadavg()
    started = time.perf_counter()
    only = set(args.only or SECTIONS)
    seconds = results["seconds"] = {}

    def timed(key, fn):
        """Run fn, adding its duration to ``key`` ("…_country": only with --country)."""
        start = time.perf_counter()
        try:
            return fn()
        finally:
            seconds[key] = round(seconds.get(key, 0) + time.perf_counter() - start, 1)

    if "submissions" in only:
        if submissions.wrk_available():
            per_backend = timed(
                "submissions", lambda: each(lambda b, url, app: submissions.run(app, url, b))
            )
            results["submissions"] = [row for rows in per_backend for row in rows]
        else:
            print("wrk is not installed: the HTTP benchmark is skipped", flush=True)

    if "indicators" in only:
        staff_sizes = [12_000, 120_000] + ([1_200_000] if args.country else [])
        results["indicators"] = []
        for staff in staff_sizes:
            key = "indicators_country" if staff > 1_000_000 else "indicators"
            rows = timed(
                key,
                lambda staff=staff: each(
                    lambda b, url, app: {"backend": b, **indicators.run(app, staff)}
                ),
            )
            for row in rows:
                results["indicators"].append(row)
                print(row, flush=True)

    if "progress" in only:
        results["progress"] = []
        for size in (2_500, 10_000, 45_000):
            rows = timed(
                "progress",
                lambda size=size: each(
                    lambda b, url, app: {"backend": b, **progress.run(app, size)}
                ),
            )
            for row in rows:
                results["progress"].append(row)
                print(row, flush=True)

    if "exports" in only:
        sizes = [10_000, 100_000] + ([1_000_000] if args.country else [])
        results["exports"] = []
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                key = "exports_country" if size >= 1_000_000 else "exports"
                results["exports"] += timed(key, lambda size=size: exports.run([size], tmp))

    if "imports" in only:
        from bench import imports

        rows = timed(
            "imports",
            lambda: each(lambda b, url, app: {"backend": b, **imports.run(app, imports.ROWS)}),
        )
        results["imports"] = {"staff": rows, "bomb": timed("imports", imports.bomb)}
        print(results["imports"], flush=True)

    if "pages" in only:
        from bench import pages

        with tempfile.TemporaryDirectory() as tmp:  # SQLite only: the section's 3 minutes
            url = f"sqlite:///{tmp}/bench.sqlite3"
            results["pages"] = timed("pages", lambda: pages.run(fresh_app(url), "sqlite"))

    if "generate" in only and args.country:
        from core import demo_scale

        def generate(backend, url, app):
            start = time.perf_counter()
            with app.app_context(), database.connection_context():
                counts = demo_scale.load(demo_scale.SCALES["country"])
            return {
                "backend": backend,
                "scale": "country",
                "organizations": counts["organizations"],
                "staff": counts["staff"],
                "seconds": round(time.perf_counter() - start, 1),
            }

        results["generate"] = timed("generate_country", lambda: each(generate))
        print(results["generate"], flush=True)

    results["load_after"] = os.getloadavg()
    results["minutes"] = round((time.perf_counter() - started) / 60, 1)
    return results


def main():
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--country", action="store_true", help="add the 1M-row points")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these")
    args = parser.parse_args()
    results = run(args)
    if args.only:  # a partial run replaces its sections in the last full run's results
        previous = json.loads((HERE / "results.json").read_text())
        rerun = {
            "sections": args.only,
            "minutes": results["minutes"],
            "load_before": results["load_before"],
            "load_after": results["load_after"],
        }
        results = {
            **previous,
            **{k: results[k] for k in args.only if k in results},
            "reruns": previous.get("reruns", []) + [rerun],
        }
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    from bench.report import markdown

    text = markdown(results)
    (HERE / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
