"""Imports: N staff rows from a CSV through the import (read, check, write with audit)
vs a raw bulk insert of the same rows and audit entries, in the same database and run;
and the 1.1 GB xlsx bomb refused (time and peak RSS of a fresh process).

Target (issue 14): 120,000 staff rows within 10 s on SQLite; the bomb within 2 s, 200 MB.
"""

import datetime as dt
import io
import json
import subprocess
import sys
import time

from core.db import database
from core.models import AuditEntry, Organization, StaffMember

ROWS = 120_000
SCHOOLS = 500
TARGET_SECONDS = 10  # 120,000 rows on SQLite
HEADER = (
    "Код организации;ФИО;Должность;Год рождения;Год начала педагогической деятельности;"
    "Предметы;Квалификационная категория;Управленческая команда;Методические объединения;"
    "Табельный номер;Работает\n"
)


def _tree():
    """A region with two municipalities of SCHOOLS schools: the import fills the first,
    the baseline the second (both commit: the audit log is append-only)."""
    from core import organizations as tree

    region = tree.create(kind="region", name="Регион", code="r")
    municipalities = []
    for m in ("m", "n"):
        muni = tree.create(kind="municipality", name=f"Муниципалитет {m}", code=m, parent=region)
        schools = [
            tree.create(kind="school", name=f"Школа № {i}", code=f"{m}{i}", parent=muni)
            for i in range(SCHOOLS)
        ]
        municipalities.append((muni, schools))
    return municipalities


def staff_csv(n: int) -> bytes:
    out = io.StringIO()
    out.write(HEADER)
    for i in range(n):
        out.write(
            f"m{i % SCHOOLS};Иванова Мария Петровна {i};учитель;{1960 + i % 40};"
            f'{1982 + i % 40 + i % 5};"математика; информатика";первая;нет;РМО;T{i:07d};да\n'
        )
    return out.getvalue().encode()


def _raw_insert(schools, n: int) -> float:
    """The floor of any import: the rows and one audit entry each, ready tuples written by
    the driver in statements of 500 rows, committed."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    started = time.perf_counter()
    with database.atomic():
        staff = [
            (schools[i % SCHOOLS].id, f"B{i:07d}", f"Петров Пётр {i}", "учитель",
             json.dumps(["математика", "информатика"]), 1960 + i % 40, 1990, "first", False,
             json.dumps(["РМО"]), True, now)
            for i in range(n)
        ]  # fmt: skip
        _write(StaffMember, staff)
        audit = [
            (now, None, "", "import_create", "staff", i, "/", None, json.dumps({"n": i}), "")
            for i in range(n)
        ]
        _write(AuditEntry, audit)
    return time.perf_counter() - started


def _write(model, rows, batch=500):
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    assert len(fields) == len(rows[0]), [f.name for f in fields]
    columns = ", ".join(f.column_name for f in fields)
    marks = "(" + ", ".join([database.param] * len(fields)) + ")"
    cursor = database.cursor()
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        sql = f"INSERT INTO {model._meta.table_name} ({columns}) VALUES " + ", ".join(
            [marks] * len(chunk)
        )
        cursor.execute(sql, [value for row in chunk for value in row])


def run(app, n: int) -> dict:
    from core.importing import staff
    from core.importing.readers import read

    with app.app_context(), database.connection_context():
        (muni, _), (_, other_schools) = _tree()
        data = staff_csv(n)
        baseline = _raw_insert(other_schools, n)
        start = time.perf_counter()
        sheet = read("staff.csv", data)
        read_seconds = time.perf_counter() - start
        result = staff.run(sheet, Organization.get_by_id(muni.id))
        seconds = time.perf_counter() - start
        assert result.created == n and StaffMember.select().count() == 2 * n
        assert Organization.select().count() == 2 * SCHOOLS + 3
    return {
        "rows": n,
        "import_s": round(seconds, 2),
        "of_which_read_s": round(read_seconds, 2),
        "raw_insert_s": round(baseline, 2),
        "ratio": round(seconds / baseline, 1),
    }


BOMB_SCRIPT = """
import json, time
from bench.xlsx_bomb import sheet_bomb
from core.importing.readers import ReadError, read
data = sheet_bomb(1100)
start = time.perf_counter()
try:
    read("bomb.xlsx", data)
    refused = False
except ReadError:
    refused = True
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
print(json.dumps({"bytes": len(data), "refused": refused, "seconds": seconds,
                  "peak_rss_mb": peak_kb // 1024}))
"""


def bomb() -> dict:
    """Refusing the 1.45 MB workbook whose sheet inflates to 1.1 GB, in a fresh process
    (its peak RSS includes the interpreter, flask and openpyxl: about 60 MB)."""
    done = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT], capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout)
    return {
        "file_mb": round(figures["bytes"] / 2**20, 2),
        "inflated_mb": 1100,
        "refused": figures["refused"],
        "seconds": round(figures["seconds"], 3),
        "peak_rss_mb": figures["peak_rss_mb"],
    }


def report(results) -> list[str]:
    rows, bomb_row = results["staff"], results["bomb"]
    lines = [
        "## Imports: staff rows from a CSV, and an xlsx bomb",
        "",
        "Product: `core.importing` reading the CSV, checking every cell with the API's fields,",
        "inserting the rows and their audit entries in batches and queueing `staff_changed`.",
        "Baseline: ready tuples (rows and audit entries) in 500-row INSERTs, committed: the floor.",
        "",
    ]
    lines += _table(
        ["backend", "rows", "import, s", "of which reading, s", "raw insert, s", "ratio"],
        [[r["backend"], f"{r['rows']:,}", r["import_s"], r["of_which_read_s"],
          r["raw_insert_s"], r["ratio"]] for r in rows],
    )  # fmt: skip
    sqlite = [r for r in rows if r["backend"] == "sqlite"]
    lines += [
        "",
        f"The bomb: a {bomb_row['file_mb']} MB xlsx whose sheet inflates to "
        f"{bomb_row['inflated_mb']:,} MB, refused in {bomb_row['seconds']} s; peak RSS of the "
        f"whole fresh process (interpreter, openpyxl, marshmallow, the bomb built in memory): "
        f"{bomb_row['peak_rss_mb']} MB.",
        "",
        "Targets:",
        "",
    ]
    for r in sqlite:
        met = "met" if r["import_s"] <= TARGET_SECONDS else "missed"
        lines.append(f"- sqlite, {r['rows']:,} staff rows: ≤ {TARGET_SECONDS} s — {met}")
    within = bomb_row["refused"] and bomb_row["seconds"] <= 2 and bomb_row["peak_rss_mb"] <= 200
    lines.append(f"- the bomb refused within 2 s and 200 MB — {'met' if within else 'missed'}")
    return lines


def _table(header, rows):
    from bench.report import _table as table

    return table(header, rows)
