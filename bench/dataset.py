"""Bulk synthetic data for benchmarks: a region of N organisations with a campaign.

Rows are inserted in bulk with explicit ids (paths need them), not one
request per row, so building 45,000 organisations takes seconds.
"""

import datetime as dt
import random

from core.db import is_sqlite
from core.models import Organization, PluginActivation
from forms.definition import load_definition
from forms.models import Campaign, Submission
from forms.store import save

FORM = {
    "code": "bench_monitoring",
    "title": "Мониторинг (бенчмарк)",
    "sections": [
        {
            "title": "Раздел",
            "fields": [
                {"name": f"q{i}", "type": "integer", "label": f"Вопрос {i}"} for i in range(15)
            ],
        }
    ],
}
STATES = ["draft", "submitted", "returned", "accepted"]


def build(organizations: int, municipalities: int = 60, hubs: int = 6, seed: int = 1) -> Campaign:
    rng = random.Random(seed)
    rows = []
    next_id = 1

    def add(kind, name, parent_path, region_id):
        nonlocal next_id
        org_id = next_id
        next_id += 1
        path = f"{parent_path}{org_id}/"
        rows.append(
            {
                "id": org_id,
                "parent": int(parent_path.strip("/").split("/")[-1])
                if parent_path != "/"
                else None,
                "region_id": region_id or org_id,
                "path": path,
                "kind": kind,
                "name": name,
                "short_name": "",
                "code": f"{kind[:3]}-{org_id}",
                "active": True,
                "created_at": dt.datetime(2025, 1, 1),
            }
        )
        return org_id, path

    region_id, region_path = add("region", "Регион", "/", None)
    hub_paths = [add("hub", f"Куст {h}", region_path, region_id)[1] for h in range(hubs)]
    muni_paths = [
        add("municipality", f"Муниципалитет {m}", hub_paths[m % hubs], region_id)[1]
        for m in range(municipalities)
    ]
    for n in range(organizations):
        add("school", f"Школа {n}", muni_paths[n % municipalities], region_id)
    for start in range(0, len(rows), 1000):
        Organization.insert_many(rows[start : start + 1000]).execute()
    if Organization._meta.database.__class__.__name__.startswith("Postgres"):
        Organization._meta.database.execute_sql(
            "SELECT setval('organization_id_seq', (SELECT MAX(id) FROM organization))"
        )
    form, _ = save(load_definition(FORM))
    PluginActivation.insert(organization=region_id, plugin="none", enabled=True).execute()
    campaign = Campaign.create(
        form=form,
        title="Бенчмарк",
        period_kind="year",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        scope=region_id,
        audience_kinds=["school"],
        audience_statuses=[],
        opens_on=dt.date(2025, 1, 1),
        deadline=dt.date(2025, 6, 1),
    )
    subs = []
    for row in rows:
        if row["kind"] != "school" or rng.random() > 0.7:
            continue
        state = rng.choice(STATES)
        submitted = None if state == "draft" else dt.datetime(2025, 5, rng.randint(1, 31))
        subs.append(
            {
                "campaign": campaign.id,
                "organization": row["id"],
                "subject_key": f"o{row['id']}",
                "state": state,
                "data": {f"q{i}": rng.randint(0, 9) for i in range(15)},
                "first_submitted_at": submitted,
                "submitted_at": submitted,
                "late": bool(submitted and submitted.date() > dt.date(2025, 6, 1)),
            }
        )
    for start in range(0, len(subs), 1000):
        Submission.insert_many(subs[start : start + 1000]).execute()
    if not is_sqlite():
        Organization._meta.database.execute_sql("ANALYZE")  # statistics, as a live database has
    return campaign
