"""Large imports as background jobs (core.import_jobs): over the threshold (20 rows here)
the API answers 202 with a job and the page shows the job; all or nothing as before."""

import pytest

from core import import_jobs, jobs
from core.db import database
from core.models import AuditEntry, ImportJob, Organization, StaffMember
from core.staff import snapshot
from tests.test_imports import STAFF_HEADER, upload
from tests.test_pages import sign_in
from tests.test_staff_pages import problem_rows, xlsx
from tests.test_staff_pages import upload as page_upload

THRESHOLD = 20


@pytest.fixture
def app(make_app):
    return make_app(IMPORT_JOB_ROWS=THRESHOLD)


def staff_csv(rows: int, org="a1", bad=()) -> bytes:
    lines = [
        f"{org};Учитель {n};учитель;{'тысяча' if n in bad else 1970 + n % 30};;история;;;;"
        f"imp-{n};\n"
        for n in range(rows)
    ]
    return (STAFF_HEADER + "".join(lines)).encode()


def imported():
    with database.connection_context():
        return StaffMember.select().where(StaffMember.full_name.startswith("Учитель")).count()


def test_a_large_file_answers_202_and_its_job_imports_every_row(api, world):
    response = upload(api, "coord_a1", "staff", world.a1, staff_csv(25))
    assert response.status_code == 202, response.json
    job_id = response.json["job_id"]
    assert response.headers["Location"].endswith(f"/api/v1/imports/jobs/{job_id}")
    job = api.as_("coord_a1").get(f"/api/v1/imports/jobs/{job_id}")
    assert job.status_code == 200
    assert job.json["state"] == "done"
    assert job.json["kind"] == "staff"
    assert (job.json["rows_done"], job.json["rows_total"]) == (25, 25)
    assert job.json["result"] == {"created": 25, "updated": 0, "unchanged": 0}
    assert job.json["problems"] == []
    assert imported() == 25
    with database.connection_context():
        assert AuditEntry.select().where(AuditEntry.action == "import_create").count() == 25
        assert ImportJob.get_by_id(job_id).data is None  # the file is not kept once done
        person = StaffMember.get(StaffMember.code == "imp-3")
        entry = AuditEntry.get(
            AuditEntry.object_type == "staff",
            AuditEntry.object_id == person.id,
            AuditEntry.action == "import_create",
        )
        assert set(entry.after) == set(snapshot(person))
        assert (entry.after["position"], entry.after["organization_id"]) == ("учитель", world.a1.id)
        assert (person.subjects, person.birth_year, person.active) == (["история"], 1973, True)
    again = upload(api, "coord_a1", "staff", world.a1, staff_csv(25))
    second = api.as_("coord_a1").get(again.headers["Location"])
    assert second.json["result"] == {"created": 0, "updated": 0, "unchanged": 25}


def test_a_bad_large_file_fails_with_every_row_problem_and_imports_nothing(api, world):
    response = upload(api, "coord_a1", "staff", world.a1, staff_csv(30, bad={3, 17}))
    assert response.status_code == 202
    job = api.as_("coord_a1").get(response.headers["Location"]).json
    assert job["state"] == "failed"
    assert job["error"].startswith("Файл не загружен: найдено ошибок — 2.")
    assert [(p["row"], p["column"]) for p in job["problems"]] == [
        (5, "Год рождения"),
        (19, "Год рождения"),
    ]
    assert job["problems"][0]["message"] == "Ожидался год числом, например 1985."
    assert job["result"] is None
    assert imported() == 0


def test_another_areas_job_is_an_unknown_id(api, world):
    job_id = upload(api, "coord_a1", "staff", world.a1, staff_csv(25)).json["job_id"]
    foreign = api.as_("coord_b1").get(f"/api/v1/imports/jobs/{job_id}")
    unknown = api.as_("coord_b1").get(f"/api/v1/imports/jobs/{job_id + 1000}")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json == unknown.json
    assert api.as_("methodist_a").get(f"/api/v1/imports/jobs/{job_id}").status_code == 200


def test_below_the_threshold_the_answer_is_synchronous(api, world):
    response = upload(api, "coord_a1", "staff", world.a1, staff_csv(THRESHOLD))
    assert response.status_code == 200
    assert response.json == {"created": THRESHOLD, "updated": 0, "unchanged": 0}
    with database.connection_context():
        assert ImportJob.select().count() == 0


def test_rows_are_counted_without_parsing(app):
    rows = [STAFF_HEADER.strip().split(";")] + [["a1", f"У {n}"] for n in range(30)]
    with app.app_context():
        assert import_jobs.count_rows("s.xlsx", xlsx(rows)) == 30
        assert import_jobs.count_rows("s.csv", staff_csv(30)) == 30
        assert import_jobs.count_rows("s.csv", staff_csv(30).rstrip(b"\n")) == 30


def test_the_page_shows_progress_then_the_error_table(app, world, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda kind, ref_id: queued.append((kind, ref_id)))
    client = app.test_client()
    sign_in(client, "coord.a1")
    sent = page_upload(client, world.a1, staff_csv(40, bad={7}), "staff.csv")
    assert sent.status_code == 302
    job_url = sent.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert queued == [("import", job_id)]
    waiting = client.get(job_url).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "В очереди." in waiting
    with database.connection_context():  # as the worker shows it while checking rows
        ImportJob.update(state="running", phase="checking", rows_total=40, rows_done=10).where(
            ImportJob.id == job_id
        ).execute()
    running = client.get(job_url).get_data(as_text=True)
    assert '<progress max="40" value="10">' in running
    assert "Проверено строк: 10 из 40." in running
    with database.connection_context():
        ImportJob.update(state="queued", phase="", rows_done=0).where(
            ImportJob.id == job_id
        ).execute()
    with app.app_context():
        assert jobs.execute("import", job_id) == "failed"
    finished = client.get(job_url)
    html = finished.get_data(as_text=True)
    assert "refresh" not in html
    assert "Файл не загружен: найдено ошибок — 1." in html
    assert problem_rows(finished) == [(9, "Год рождения", "Ожидался год числом, например 1985.")]
    assert imported() == 0
    sign_in(client, "coord.b1")
    assert client.get(job_url).status_code == 404


def test_the_page_shows_the_result_of_a_clean_large_file(app, world):
    client = app.test_client()
    sign_in(client, "coord.a1")
    sent = page_upload(client, world.a1, staff_csv(25), "staff.csv")
    assert sent.status_code == 302 and "/import/jobs/" in sent.headers["Location"]
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Файл загружен: добавлено 25, обновлено 0, без изменений 0." in page
    assert imported() == 25
    small = page_upload(client, world.a1, staff_csv(5, org="a1"), "small.csv")
    assert small.headers["Location"].endswith(f"/staff/organizations/{world.a1.id}")


def test_a_large_organisations_file_is_a_job_too(api, world):
    header = "Код;Наименование;Краткое наименование;Тип;Код вышестоящей организации;Активна\n"
    rows = "".join(f"s{n};Школа {n};;школа;a;\n" for n in range(30))
    response = upload(api, "operator", "organizations", world.region, (header + rows).encode())
    assert response.status_code == 202
    job = api.as_("operator").get(response.headers["Location"]).json
    assert (job["kind"], job["state"], job["result"]) == (
        "organizations",
        "done",
        {"created": 30, "updated": 0, "unchanged": 0},
    )
    assert api.as_("coord_a1").get(response.headers["Location"]).status_code == 404
    with database.connection_context():
        school = Organization.get(Organization.code == "s7")
        assert (school.name, school.parent_id) == ("Школа 7", world.muni_a.id)
