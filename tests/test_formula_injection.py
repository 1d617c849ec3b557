"""Spreadsheet formula injection: a staff member named like a formula reads back as text from
every export available at the region (the core's, the mentoring and diagnostics blocks',
the consolidated workbook), never as a formula."""

import datetime as dt
import io

import openpyxl

from core.db import database
from core.models import StaffMember
from tests.forms_fixtures import MONITORING, campaign_body

HOSTILE = '=HYPERLINK("http://x","y")'
YEAR = dt.date.today().year


def test_a_formula_name_is_text_in_every_export(api, world):
    operator, coord, methodist = api.as_("operator"), api.as_("coord_a1"), api.as_("methodist_a")
    region = world.region.id
    for block in ("mentoring", "diagnostics"):
        assert operator.put(f"/api/v1/organizations/{region}/plugins/{block}").status_code == 200
    with database.connection_context():
        StaffMember.update(full_name=HOSTILE).where(StaffMember.id == world.staff_a1.id).execute()
        young = StaffMember.create(
            organization=world.a1, full_name=HOSTILE, position="учитель",
            birth_year=YEAR - 24, teaching_since=YEAR - 1, subjects=["физика"],
        )  # fmt: skip
        StaffMember.create(
            organization=world.a1,
            full_name=HOSTILE,
            position="учитель",
            birth_year=YEAR - 23,
            teaching_since=YEAR,
            subjects=["химия"],
        )  # fmt: skip  (a young teacher without a mentor)

    # A monitoring whose table names staff, and the mentoring register, both accepted.
    assert operator.post("/api/v1/forms", json=MONITORING).status_code == 201
    monitoring = operator.post("/api/v1/campaigns", json=campaign_body(region)).json
    pairs = operator.post(
        "/api/v1/campaigns",
        json=campaign_body(
            region,
            form_code="mentoring_pairs",
            title="Реестр пар",
            period_kind="school_year",
            period=f"{YEAR}/{YEAR + 1}",
        ),  # fmt: skip
    ).json
    answers = {
        monitoring["id"]: {
            "act_adopted": False, "act_number": '=HYPERLINK("x",1)', "pairs_total": 1,
            "pairs_teacher": 1,
            "pairs": [{"mentor": world.staff_a1.id, "mentee": young.id}],
        },
        pairs["id"]: {
            "pairs": [{
                "mentor": world.staff_a1.id, "mentee": young.id, "subject": "физика",
                "form": "учитель – молодой учитель", "start": f"{YEAR}-09-01",
                "status": "действует",
            }]
        },
    }  # fmt: skip
    for campaign_id, data in answers.items():
        path = f"/api/v1/campaigns/{campaign_id}/submissions/{world.a1.id}"
        assert coord.put(path, json={"data": data}).status_code == 201
        submitted = coord.post(path + "/submit", json={"confirm_warnings": True})
        assert submitted.status_code == 200, submitted.json
        assert methodist.post(path + "/accept").status_code == 200

    # Diagnostics: a low result with a deficit (no route yet) and a high one (the active).
    for area, score in (("methodical", 20), ("digital", 95)):
        result = methodist.post(
            f"/api/v1/diagnostics/staff/{world.staff_a1.id}/results",
            json={"procedure": "regional", "date": f"{YEAR}-03-01", "area": area, "score": score},
        )
        assert result.status_code == 201, result.json

    listed = operator.get("/api/v1/exports", query_string={"scope": region}).json["items"]
    codes = [e["code"] for e in listed]
    assert {
        "staff",
        "campaign_responses",
        "mentoring_pairs_register",
        "young_without_mentor",
    } <= set(codes)
    found_in = set()
    for export in listed:
        query = {"scope": region, "period": str(YEAR)}
        campaigns = list(answers) if "campaign" in export.get("needs", []) else [None]
        for campaign_id in campaigns:
            if campaign_id:
                query["campaign"] = campaign_id
            response = operator.get(f"/api/v1/exports/{export['code']}", query_string=query)
            assert response.status_code == 200, (export["code"], response.get_data()[:300])
            book = openpyxl.load_workbook(io.BytesIO(response.data))
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (export["code"], sheet.title, cell.value)
                        if cell.value == HOSTILE:
                            assert cell.data_type == "s"
                            found_in.add(export["code"])
    # The name really went through each export that lists people.
    people = {e["code"] for e in listed} & {
        "staff", "campaign_responses", "mentoring_pairs_register", "young_teachers_base",
        "young_without_mentor", "consolidated", "diagnostics_results", "diagnostics_active",
        "diagnostics_low_without_route",
    }  # fmt: skip
    assert people <= found_in, people - found_in
    assert len(codes) >= 15  # every export of the region was read back
