"""The page «Выгрузки» through the test client: the exports offered at a scope, download
now (read back with openpyxl, audited like the API's), a background job and its page in
every state, «Мои выгрузки», the file without an API token, and every refusal."""

import io
import re

import openpyxl

from core.db import database
from core.models import AuditEntry
from exports.models import ExportJob
from tests.test_exports import FIRST, rows
from tests.test_pages import csrf
from tests.test_web_shell import menu, signed_in


def exports_page(client, scope=None):
    return client.get("/exports", query_string={"scope": scope.id} if scope else None)


def titles(page) -> list[str]:
    return re.findall(r'<h2 id="export-[^"]+-title">(.*?)</h2>', page.text)


def run(client, code, scope, action="now", **fields):
    token = csrf(exports_page(client, scope))
    data = {"csrf_token": token, "scope": scope.id, "action": action, **fields}
    return client.post(f"/exports/{code}", data=data)


def book(response):
    assert response.status_code == 200, response.text[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def export_audits(app):
    with app.app_context(), database.connection_context():
        return list(AuditEntry.select().where(AuditEntry.action == "export"))


def test_the_exports_of_a_scope(app, world):
    methodist = signed_in(app, "methodist.a")
    page = exports_page(methodist)  # the methodist's municipality by default
    assert page.status_code == 200 and "Выгрузки: Муниципалитет А" in page.text
    offered = titles(page)
    assert "Реестр педагогических работников" in offered
    assert "Ход сбора данных кампании" in offered
    assert "Сводная книга региона" not in offered  # a region's or a hub's workbook
    assert "Сводная книга региона" in titles(exports_page(signed_in(app, "operator")))
    assert "Выгрузки" in menu(methodist.get("/"))
    teacher = signed_in(app, "teacher.a1")
    assert "Выгрузки" not in menu(teacher.get("/"))
    assert teacher.get("/exports").status_code == 403
    assert exports_page(methodist, world.muni_b).status_code == 404


def test_download_now_is_the_apis_file_and_is_audited(app, world):
    operator = signed_in(app, "operator")
    response = run(operator, "staff", world.region, period="2024")
    sheet = book(response)["Работники"]
    names = sorted(row[0] for row in rows(sheet))
    assert names == ["Петрова Анна Ивановна", "Сидоров Олег Петрович"]
    assert sheet.cell(FIRST, 1).value in names
    assert "attachment" in response.headers["Content-Disposition"]
    (entry,) = export_audits(app)
    assert entry.user_id == world.users["operator"].id
    assert (entry.after["code"], entry.after["rows"], entry.after["personal_data"]) == (
        "staff",
        2,
        True,
    )  # flagged: it lists people (the staff record's personal-data reads list it)


def test_wrong_parameters_are_shown_next_to_the_field_and_nothing_is_produced(app, world):
    operator = signed_in(app, "operator")
    bad = run(operator, "staff", world.region, period="весна")
    assert bad.status_code == 422 and bad.mimetype == "text/html"
    error = re.search(r'<div class="error" id="staff-period-error">(.*?)</div>', bad.text)
    assert error.group(1) == "Период: ГГГГ, ГГГГ/ГГГГ, ГГГГ-ММ или ГГГГ-QN."
    assert 'value="весна"' in bad.text  # what was typed stays in the field
    book_without_period = run(operator, "consolidated", world.region)
    assert book_without_period.status_code == 422
    assert "Укажите период." in book_without_period.text
    unknown = run(operator, "campaign_progress", world.region, campaign="9999")
    assert unknown.status_code == 422
    assert re.search(r'id="campaign_progress-campaign-error">Кампания не найдена.<', unknown.text)
    not_a_number = run(operator, "campaign_progress", world.region, campaign="abc")
    assert not_a_number.status_code == 422 and 'id="campaign_progress-campaign-error"' in (
        not_a_number.text
    )
    assert export_audits(app) == []
    with app.app_context(), database.connection_context():
        assert ExportJob.select().count() == 0


def test_refusals(app, world):
    methodist = signed_in(app, "methodist.a")
    token = csrf(exports_page(methodist))
    # Another municipality: as if it did not exist; an unknown export too.
    other = {"csrf_token": token, "scope": world.muni_b.id, "action": "now"}
    assert methodist.post("/exports/staff", data=other).status_code == 404
    own = {"csrf_token": token, "scope": world.muni_a.id, "action": "now"}
    assert methodist.post("/exports/nonexistent", data=own).status_code == 404
    # No CSRF token: refused before anything runs.
    forged = methodist.post("/exports/staff", data={"scope": world.muni_a.id, "action": "job"})
    assert forged.status_code == 400
    assert export_audits(app) == []
    with app.app_context(), database.connection_context():
        assert ExportJob.select().count() == 0


def test_a_background_job_its_page_and_its_file(app, world):
    operator = signed_in(app, "operator")
    started = run(operator, "staff", world.region, action="job", period="2024")
    assert started.status_code == 302
    job_url = started.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    page = operator.get(job_url)  # the test queue runs the job at once
    assert page.status_code == 200
    assert re.search(r'id="job-state">Готово<', page.text)
    assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
    assert "Готово: 2 строк." in page.text
    sheet = book(operator.get(f"/exports/jobs/{job_id}/file"))["Работники"]
    assert len(rows(sheet)) == 2
    mine = operator.get("/exports/jobs")
    assert "Реестр педагогических работников" in mine.text and "Регион Р" in mine.text
    assert f'href="/exports/jobs/{job_id}/file"' in mine.text
    # Someone else's job: as if it did not exist.
    methodist = signed_in(app, "methodist.a")
    assert methodist.get(job_url).status_code == 404
    assert methodist.get(f"/exports/jobs/{job_id}/file").status_code == 404
    assert "Вы ещё не формировали" in methodist.get("/exports/jobs").text


def _job(app, world, **values):
    with app.app_context(), database.connection_context():
        return ExportJob.create(
            code="staff", scope=world.region, period="2024", user=world.users["operator"], **values
        ).id


def test_the_job_page_in_every_state(app, world):
    operator = signed_in(app, "operator")
    queued = operator.get(f"/exports/jobs/{_job(app, world)}")
    assert re.search(r'id="job-state">В очереди<', queued.text)
    assert '<meta http-equiv="refresh" content="3">' in queued.text
    assert "Задание ждёт обработчика." in queued.text and 'id="job-progress"' in queued.text
    running_id = _job(app, world, state="running", rows_done=40)
    running = operator.get(f"/exports/jobs/{running_id}")
    assert re.search(r'id="job-state">Выполняется<', running.text)
    assert "Записано строк: 40." in running.text and 'http-equiv="refresh"' in running.text
    # A reload shows the state the worker reached meanwhile (it lives in the database).
    with app.app_context(), database.connection_context():
        ExportJob.update(rows_done=75).where(ExportJob.id == running_id).execute()
    assert "Записано строк: 75." in operator.get(f"/exports/jobs/{running_id}").text
    reason = "Задание прервано: обработчик остановился; повторите выгрузку."
    failed_id = _job(app, world, state="failed", error=reason)
    failed = operator.get(f"/exports/jobs/{failed_id}")
    assert reason in failed.text and 'http-equiv="refresh"' not in failed.text
    assert reason in operator.get("/exports/jobs").text
    not_ready = operator.get(f"/exports/jobs/{failed_id}/file")
    assert not_ready.status_code == 409 and "Файл ещё не готов." in not_ready.text
    gone_id = _job(app, world, state="done", rows_done=2, file_path="/nonexistent/job.xlsx")
    assert "Файл больше не хранится" in operator.get(f"/exports/jobs/{gone_id}").text


def _queries(client, url):
    import logging

    from tests.test_indicator_breakdown import QueryCounter

    logger = logging.getLogger("peewee")
    counter, level = QueryCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        assert client.get(url).status_code == 200
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count


def test_my_exports_queries_do_not_grow_with_the_jobs(app, world):
    operator = signed_in(app, "operator")
    for _ in range(2):
        _job(app, world, state="done", rows_done=2)
    operator.get("/exports/jobs")  # warm the caches of the first request
    few = _queries(operator, "/exports/jobs")
    for _ in range(12):
        _job(app, world, state="failed", error="Задание прервано.")
    page = operator.get("/exports/jobs")
    assert page.text.count("Задание прервано.") == 12 and page.text.count(">Готово<") == 2
    assert _queries(operator, "/exports/jobs") == few
    for _ in range(10):  # past one page: 20 rows and a link to the next
        _job(app, world)
    assert "Страница 1 из 2" in operator.get("/exports/jobs").text
    assert operator.get("/exports/jobs?page=2").text.count("<tr>") == 1 + 4
