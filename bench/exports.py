"""Exports: N staff-like rows through the export engine vs raw xlsxwriter (constant_memory).

Each side runs in its own process so that its peak RSS is its own.  The
engine gets rows as the staff register's row source yields them (lists,
booleans, None); the baseline writes the already-final cell values with
write_string / write_number.  Reported: wall time, ratio, peak RSS.
"""

import json
import resource
import subprocess
import sys
import time

SUBJECTS = ["математика", "физика", "русский язык и литература", "история", "информатика"]


def synthetic_rows(n):
    for i in range(n):
        yield [
            f"Иванова Мария Петровна {i}",
            f"МБОУ «Средняя школа № {i % 2500}»",
            f"sch-{i % 2500}",
            f"Муниципалитет {i % 60}",
            "учитель",
            [SUBJECTS[i % 5], SUBJECTS[(i + 2) % 5]],
            1960 + i % 45,
            64 - i % 45,
            i % 40,
            "Первая",
            i % 7 == 0,
            ["РМО учителей математики"],
            True,
            f"{i:08d}",
        ]


def _final(row):
    """What the cells of a row end up as: the baseline writes these directly."""
    return [
        "; ".join(v)
        if isinstance(v, list)
        else ("да" if v else "нет")
        if isinstance(v, bool)
        else v
        for v in row
    ]


def run_engine(n, path):
    from exports.context import ExportContext
    from exports.core_exports import STAFF
    from exports.workbook import write_export

    class Scope:
        name = "Регион"

    spec = {**STAFF, "sheets": [{**STAFF["sheets"][0], "rows": lambda ctx: synthetic_rows(n)}]}
    spec["sheets"][0].pop("count")
    return write_export(spec, ExportContext(scope=Scope()), path)


def run_raw(n, path):
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Работники")
    for row_number, row in enumerate(synthetic_rows(n), start=6):
        for col, value in enumerate(_final(row)):
            if isinstance(value, int | float):
                sheet.write_number(row_number, col, value)
            else:
                sheet.write_string(row_number, col, value)
    book.close()
    return n


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM).  getrusage's ru_maxrss would also count the
    parent's pages from before exec, so it grew with whatever the parent had done."""
    try:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind, n, path):
    start = time.perf_counter()
    rows = (run_engine if kind == "engine" else run_raw)(n, path)
    seconds = time.perf_counter() - start
    peak_mb = _peak_rss_mb()
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": peak_mb}))


def measure(kind, n, path):
    out = subprocess.run(
        [sys.executable, "-m", "bench.exports", kind, str(n), path],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(sizes, folder):
    results = []
    for n in sizes:
        raw = measure("raw", n, f"{folder}/raw-{n}.xlsx")
        engine = measure("engine", n, f"{folder}/engine-{n}.xlsx")
        results.append(
            {
                "rows": n,
                "engine_s": round(engine["seconds"], 2),
                "raw_s": round(raw["seconds"], 2),
                "ratio": round(engine["seconds"] / raw["seconds"], 2),
                "engine_peak_rss_mb": round(engine["peak_rss_mb"], 1),
                "raw_peak_rss_mb": round(raw["peak_rss_mb"], 1),
            }
        )
        print(results[-1], flush=True)
    return results


if __name__ == "__main__":
    child(sys.argv[1], int(sys.argv[2]), sys.argv[3])
