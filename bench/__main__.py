"""`make bench`: run every benchmark on SQLite (and PostgreSQL when reachable).

Results go to bench/RESULTS.md (with the machine's description) and
bench/results.json.  Nothing here is a pass/fail test: targets are ratios
reported side by side.
"""

import json
import os
import platform
import tempfile
import uuid
from pathlib import Path

from core import migrator
from core.app import create_app
from core.db import database
from core.plugin_access import migration_components

HERE = Path(__file__).parent
PG_ADMIN = os.environ.get("METODNET_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def machine():
    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            total = next(line for line in info if line.startswith("MemTotal"))
        memory = f"{int(total.split()[1]) // 1024 // 1024} GiB"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {cpus} cores, {memory}, Python {platform.python_version()}"


def fresh_app(url):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}, load_entry_points=False)
    with app.app_context(), database.connection_context():
        migrator.upgrade(migration_components(app))
    return app


def postgres_urls():
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


def main():
    from bench import exports, progress

    results = {"machine": machine(), "progress": []}
    export_sizes = [
        int(n) for n in os.environ.get("METODNET_BENCH_EXPORT_ROWS", "100000,1000000").split(",")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        results["exports"] = exports.run(export_sizes, tmp)
    sizes = [int(n) for n in os.environ.get("METODNET_BENCH_SIZES", "2500,45000").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            app = fresh_app(f"sqlite:///{tmp}/bench-{size}.sqlite3")
            results["progress"].append({"backend": "sqlite", **progress.run(app, size)})
            print(results["progress"][-1], flush=True)
    for size in sizes:
        pg = postgres_urls()
        if pg is None:
            print("PostgreSQL not reachable: skipped")
            break
        url, drop = pg
        try:
            app = fresh_app(url)
            results["progress"].append({"backend": "postgresql", **progress.run(app, size)})
            print(results["progress"][-1], flush=True)
        finally:
            drop()
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {results['machine']}.",
        "",
        "## Campaign progress (GET /api/v1/campaigns/{id}/progress)",
        "",
        "Product: the API call (auth, scope, audience, rollup by child unit, JSON).",
        "Baseline: the two plain SELECTs any answer must read. Medians of 7 runs.",
        "",
        "| backend | organisations | product, ms | baseline, ms | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in results["progress"]:
        lines.append(
            f"| {row['backend']} | {row['organizations']:,} | {row['product_ms']} | "
            f"{row['baseline_ms']} | {row['ratio']} |"
        )
    lines += [
        "",
        "## Exports: staff-like rows through the engine vs raw xlsxwriter (constant_memory)",
        "",
        "Each side in its own process; peak RSS includes the interpreter and, for the engine,",
        "the application's imports (Flask, peewee, marshmallow).",
        "",
        "| rows | engine, s | raw, s | ratio | engine peak RSS, MB | raw peak RSS, MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results["exports"]:
        lines.append(
            f"| {row['rows']:,} | {row['engine_s']} | {row['raw_s']} | {row['ratio']} | "
            f"{row['engine_peak_rss_mb']} | {row['raw_peak_rss_mb']} |"
        )
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
