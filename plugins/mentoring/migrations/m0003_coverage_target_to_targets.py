"""The coverage target leaves the block's settings for the exports engine's targets per
region and year (exports migration 2 made the table; the engines' migrations run before any
block's).  A stored value becomes the region's target for the current year only: earlier
years keep the declared default, so no past status is rewritten by the move."""

import datetime as dt
import json


def up(db):
    param = db.param
    rows = db.execute_sql(
        'SELECT "id", "region_id", "values" FROM "block_setting" WHERE "plugin" = ' + param,
        ("mentoring",),
    ).fetchall()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for row_id, region_id, text in rows:
        values = json.loads(text)
        target = values.pop("coverage_target", None)
        if target is None:
            continue
        db.execute_sql(
            'INSERT INTO "indicator_target" ("region_id", "indicator", "year", "value", '
            f'"changed_at") VALUES ({param}, {param}, {param}, {param}, {param})',
            (region_id, "mentoring_coverage", now.year, float(target), now),
        )
        db.execute_sql(
            f'UPDATE "block_setting" SET "values" = {param} WHERE "id" = {param}',
            (json.dumps(values, sort_keys=True), row_id),
        )
