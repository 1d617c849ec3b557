"""Large imports as background jobs: a file of more than METODNET_IMPORT_JOB_ROWS data rows
is stored with its job (import_job, the file in the row so any server's worker can run it)
and imported by the worker, all or nothing as a small one is imported in the request.

The job checks every row first, then writes in one transaction.  Progress (rows checked)
is written every CHECKED_EVERY rows (core.importing.columns) in its own short statements,
during the check only: inside the import's transaction an update would be invisible to
others until the commit, and on SQLite a second connection would wait for the import's
write lock.  While the rows are written the job shows the phase «writing».
"""

import io
import re
import zipfile

from flask import current_app

from core import jobs
from core.db import database
from core.importing import organizations, staff
from core.importing.limits import MAX_ROWS, ReadError, check_archive, is_sheet, too_many_rows
from core.importing.readers import read
from core.importing.result import ImportFailed
from core.models import ImportJob, utcnow

KIND = "import"
DEFAULT_THRESHOLD = 5_000
RUNNERS = {  # kind → (importer, the permission it needs besides import.run)
    "organizations": (organizations.run, "organization.write"),
    "staff": (staff.run, "staff.write"),
}
INTERRUPTED = "Загрузка прервана: обработчик остановился; загрузите файл снова."
FAILED = (
    "Файл не загружен из-за внутренней ошибки; ничего не изменено. Повторите загрузку позже "
    "или сообщите администратору."
)
ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")


def threshold() -> int:
    """METODNET_IMPORT_JOB_ROWS (core.config)."""
    return int(current_app.config.get("IMPORT_JOB_ROWS", DEFAULT_THRESHOLD))


def count_rows(filename: str, data: bytes) -> int:
    """Data rows of the file, counted without parsing it (an upper bound: a CSV line break
    inside quotes counts as a row; blank rows count).  Refuses what ``read`` would refuse
    for its archive or its type."""
    name = filename.lower()
    if name.endswith(".csv"):
        return max(data.count(b"\n") + (not data.endswith(b"\n")) - 1, 0)
    if not name.endswith(".xlsx"):
        raise ReadError("Поддерживаются файлы .xlsx и .csv.")
    check_archive(data)  # the declared sizes are bounded before anything is inflated
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = sorted((p for p in archive.infolist() if is_sheet(p)), key=lambda p: p.filename)
        if not sheets:
            return 0
        rows, tail = 0, b""
        with archive.open(sheets[0]) as stream:  # streamed in chunks: memory stays small
            while chunk := stream.read(2**20):
                rows += len(ROW_TAG.findall(tail + chunk))
                tail = chunk[-16:]
                rows -= len(ROW_TAG.findall(tail))  # counted again with the next chunk
    if rows - 1 > MAX_ROWS:  # every <row> tag is a row: refused now, not by the job
        raise too_many_rows()
    return max(rows - 1, 0)


def is_large(filename: str, data: bytes) -> bool:
    return count_rows(filename, data) > threshold()


def start(kind: str, scope, user, filename: str, data: bytes) -> ImportJob:
    """Store the file with a queued job and send it to the worker."""
    with database.atomic():
        job = ImportJob.create(kind=kind, scope=scope, user=user, filename=filename, data=data)
        jobs.track(KIND, job.id)
    jobs.enqueue(KIND, job.id)
    return ImportJob.get_by_id(job.id)


def visible(job_id: int, principal, kind: str | None = None) -> ImportJob | None:
    """The job if ``principal`` may run its import at its scope, else None (the caller
    answers as for an unknown id: another area's job is not revealed)."""
    job = ImportJob.get_or_none(ImportJob.id == job_id)
    if job is None or (kind and job.kind != kind) or job.kind not in RUNNERS:
        return None
    path = job.scope.path
    if not (principal.can("import.run", path) and principal.can(RUNNERS[job.kind][1], path)):
        return None
    return job


def _save(job_id, **values):
    with database.connection_context():
        ImportJob.update(**values).where(ImportJob.id == job_id).execute()


def _mark(job_id, state, reason=""):
    values = {"state": state, "error": reason}
    if state == "running":
        values.update(started_at=utcnow(), rows_done=0, phase="checking")
    elif state == "queued":
        values.update(started_at=None, phase="")
    else:
        values.update(finished_at=utcnow(), phase="", data=None)
    _save(job_id, **values)


@jobs.job_kind(KIND, mark=_mark, interrupted=INTERRUPTED, failed=FAILED)
def _run(job_id):
    with database.connection_context():
        job = ImportJob.get_by_id(job_id)
        runner = RUNNERS[job.kind][0]
        try:
            sheet = read(job.filename, bytes(job.data or b""))
        except ReadError as error:
            raise jobs.JobFailed(str(error)) from None
        _save(job_id, rows_total=len(sheet.rows))

        def checked(done):
            phase = "writing" if done == len(sheet.rows) else "checking"
            _save(job_id, rows_done=done, phase=phase)

        try:
            result = runner(sheet, job.scope, user=job.user, checked=checked)
        except ImportFailed as failure:
            _save(job_id, report={"problems": [p.as_dict() for p in failure.problems]})
            raise jobs.JobFailed(
                f"Файл не загружен: найдено ошибок — {len(failure.problems)}. "
                "Исправьте их и загрузите файл снова."
            ) from None
    _save(
        job_id,
        state="done",
        phase="",
        rows_done=len(sheet.rows),
        report=result.as_dict(),
        finished_at=utcnow(),
        data=None,
    )
