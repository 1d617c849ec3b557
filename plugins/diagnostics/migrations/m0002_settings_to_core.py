"""The region settings (level thresholds, load cap) move to the core's block_setting table
(core migration 2 made it, and the core's migrations run before any block's): every saved
row is carried over."""

import datetime as dt
import json


def up(db):
    rows = db.execute_sql(
        'SELECT "region_id", "thresholds", "load_cap" FROM "diagnostics_setting"'
    ).fetchall()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for region_id, thresholds, load_cap in rows:
        values = {"thresholds": json.loads(thresholds or "{}"), "load_cap": load_cap}
        db.execute_sql(
            'INSERT INTO "block_setting" ("region_id", "plugin", "values", "changed_at") '
            "VALUES (%s, %s, %s, %s)".replace("%s", db.param),
            (region_id, "diagnostics", json.dumps(values, ensure_ascii=False, sort_keys=True), now),
        )
    db.execute_sql('DROP TABLE "diagnostics_setting"')
