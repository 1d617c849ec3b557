"""bench/RESULTS.md from results.json: tables with absolute figures, ratios and targets."""


def _mark(ok) -> str:
    return "met" if ok else "**missed**"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " ---: |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _per_unit(rows, key, size_key, scale):
    """Cost per ``scale`` units of size relative to the smallest size of the same backend."""
    first = {}
    out = {}
    for row in rows:
        per = row[key] / row[size_key] * scale
        first.setdefault(row["backend"], per)
        out[id(row)] = (round(per, 3), round(per / first[row["backend"]], 2))
    return out


def submissions(rows):
    lines = [
        "## 1. Submissions over HTTP",
        "",
        "gunicorn, 2 sync workers, on 127.0.0.1; wrk, 2 threads, 32 connections, each request",
        "a valid answer for another organisation (every request creates a row). Product:",
        "`PUT /api/v1/campaigns/{id}/submissions/{org}` with a bearer token (authentication,",
        "scope, audience, form-engine validation, version check, row + history event, webhook",
        "queue, JSON answer). Baseline: bare Flask + marshmallow + peewee, the same fields, one",
        "INSERT into one table, the same database settings. Product and baseline alternate in",
        "3 rounds of 5 s after a 2 s warm-up each; rps over all rounds, latency medians of rounds.",
        "",
    ]
    table = []
    for r in rows:
        table.append(
            [
                r["backend"],
                r["fields"],
                r["product_rps"],
                r["baseline_rps"],
                f"**{r['ratio']}**",
                f"{r['product_p50_ms']} / {r['product_p99_ms']}",
                f"{r['baseline_p50_ms']} / {r['baseline_p99_ms']}",
                f"{r['product_errors']} / {r['baseline_errors']}",
            ]
        )
    lines += _table(
        [
            "backend",
            "fields",
            "product rps",
            "baseline rps",
            "ratio",
            "product p50 / p99, ms",
            "baseline p50 / p99, ms",
            "errors",
        ],
        table,
    )
    lines += ["", "Targets:", ""]
    for r in rows:
        name = f"{r['backend']}, {r['fields']} fields"
        lines.append(f"- {name}: throughput ≥ 60 % of baseline — {_mark(r['ratio'] >= 0.6)}")
        if r["fields"] == 15:
            lines.append(f"- {name}: p99 ≤ 50 ms — {_mark(r['product_p99_ms'] <= 50)}")
        if r["fields"] == 250:
            lines.append(f"- {name}: ≥ 400 submissions/s — {_mark(r['product_rps'] >= 400)}")
    return lines


def indicators(rows):
    lines = [
        "## 3. Indicators: the region and each of its 60 municipalities in one call",
        "",
        "`GET /api/v1/indicators?breakdown=municipalities` on `metodnet demo --scale region`",
        "(2,500 organisations) with 12k / 120k (the region) / 1.2M staff. Baseline: the three",
        "aggregate SELECTs any answer must read (staff, pairs, submissions by organisation).",
        "Medians of 5 calls; queries counted on one call.",
        "",
    ]
    per = _per_unit(rows, "product_ms", "staff", 1000)
    table = [
        [
            r["backend"],
            f"{r['staff']:,}",
            r["indicators"],
            r["queries"],
            r["product_ms"],
            r["baseline_ms"],
            r["ratio"],
            f"{per[id(r)][0]} ({per[id(r)][1]}×)",
        ]
        for r in rows
    ]
    lines += _table(
        [
            "backend",
            "staff",
            "indicators",
            "SQL queries",
            "product, ms",
            "baseline, ms",
            "ratio",
            "ms per 1k staff (vs smallest)",
        ],
        table,
    )
    region = [r for r in rows if r["staff"] == 120_000]
    lines += ["", "Targets:", ""]
    for r in region:
        lines.append(f"- {r['backend']}, region: < 1 s — {_mark(r['product_ms'] < 1000)}")
    for backend in sorted({r["backend"] for r in rows}):
        counts = {r["queries"] for r in rows if r["backend"] == backend}
        lines.append(
            f"- {backend}: query count independent of data size ({sorted(counts)}) — "
            f"{_mark(len(counts) == 1)}; independent of the number of municipalities: "
            "asserted by tests/test_indicator_breakdown.py (2 vs 6)"
        )
    return lines


def progress(rows):
    lines = [
        "## 4. Campaign progress (`GET /api/v1/campaigns/{id}/progress`)",
        "",
        "Product: the API call (auth, scope, audience, rollup by child unit, JSON).",
        "Baseline: the two plain SELECTs any answer must read. Medians of 7 runs.",
        "",
    ]
    per = _per_unit(rows, "product_ms", "organizations", 1000)
    table = [
        [
            r["backend"],
            f"{r['organizations']:,}",
            r["product_ms"],
            r["baseline_ms"],
            r["ratio"],
            f"{per[id(r)][0]} ({per[id(r)][1]}×)",
        ]
        for r in rows
    ]
    lines += _table(
        [
            "backend",
            "organisations",
            "product, ms",
            "baseline, ms",
            "ratio",
            "ms per 1k organisations (vs smallest)",
        ],
        table,
    )
    lines += ["", "Targets:", ""]
    for r in rows:
        if r["organizations"] == 45_000:
            lines.append(f"- {r['backend']}, 45,000: < 1 s — {_mark(r['product_ms'] < 1000)}")
    return lines


def exports(rows):
    lines = [
        "## 2. Exports: staff-like rows through the engine vs raw xlsxwriter (constant_memory)",
        "",
        "Each side in its own process; peak RSS includes the interpreter and, for the engine,",
        "the application's imports (Flask, peewee, marshmallow).",
        "",
    ]
    first = rows[0]["engine_s"] / rows[0]["rows"] if rows else 1
    table = [
        [
            f"{r['rows']:,}",
            r["engine_s"],
            r["raw_s"],
            f"**{r['ratio']}**",
            r["engine_peak_rss_mb"],
            r["raw_peak_rss_mb"],
            f"{round(r['engine_s'] / r['rows'] * 1e6, 1)} "
            f"({round(r['engine_s'] / r['rows'] / first, 2)}×)",
        ]
        for r in rows
    ]
    lines += _table(
        [
            "rows",
            "engine, s",
            "raw, s",
            "ratio",
            "engine peak RSS, MB",
            "raw peak RSS, MB",
            "engine µs per row (vs smallest)",
        ],
        table,
    )
    lines += ["", "Targets (from 100,000 rows; 10,000 shows the fixed set-up cost):", ""]
    large = [r for r in rows if r["rows"] >= 100_000]
    for r in large:
        lines.append(f"- {r['rows']:,} rows: ≤ 1.2× raw — {_mark(r['ratio'] <= 1.2)}")
    rss = [r["engine_peak_rss_mb"] for r in large]
    if rss:
        flat = max(rss) <= min(rss) * 1.15
        lines.append(f"- peak RSS ≤ 150 MB — {_mark(max(rss) <= 150)}; flat — {_mark(flat)}")
    return lines


def generate(rows):
    lines = ["## Synthetic data: `metodnet demo --scale country`", ""]
    lines += _table(
        ["backend", "organisations", "staff", "seconds"],
        [[r["backend"], f"{r['organizations']:,}", f"{r['staff']:,}", r["seconds"]] for r in rows],
    )
    return lines


def imports_report(results):
    from bench.imports import report

    return report(results)


def pages_report(rows):
    from bench.pages import report

    return report(rows)


def markdown(results) -> str:
    load = results.get("load_before")
    spent = results.get("seconds", {})
    default = sum(v for k, v in spent.items() if not k.endswith("_country")) / 60
    country = sum(v for k, v in spent.items() if k.endswith("_country")) / 60
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {results['machine']}.",
        "",
        f"Whole run: {results.get('minutes', '?')} min"
        + (" with `--country`" if results.get("country") else "")
        + (
            f"; load average before / after: {load[0]:.1f} / {results['load_after'][0]:.1f}"
            if load
            else ""
        )
        + f". Without `--country` (the default `make bench`): {default:.1f} min"
        + (f"; the 1M-row points and the country data add {country:.1f} min" if country else "")
        + ". The machine is shared, so absolute figures are noisy: the ratios, measured",
        "side by side in the same run, are what counts. Growth columns divide the cost by the",
        "size and compare it with the smallest size (1.0× = linear).",
        "",
    ]
    for rerun in results.get("reruns", []):
        lines += [
            f"Re-measured afterwards in a separate run: {', '.join(rerun['sections'])} "
            f"({rerun['minutes']} min; load average before / after: "
            f"{rerun['load_before'][0]:.1f} / {rerun['load_after'][0]:.1f}).",
            "",
        ]
    for key, render in (
        ("submissions", submissions),
        ("exports", exports),
        ("indicators", indicators),
        ("progress", progress),
        ("imports", imports_report),
        ("pages", pages_report),
        ("generate", generate),
    ):
        if results.get(key):
            lines += render(results[key]) + [""]
            # Notes kept in results.json by hand: what a figure means, what limits it.
            for note in results.get("notes", {}).get(key, []):
                lines += [note, ""]
    return "\n".join(lines)
