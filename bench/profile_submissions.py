"""Profile the product's save endpoint in-process: `python -m bench.profile_submissions`.

Saves N answers through the Flask test client (no network, one process) under
pyinstrument and prints where the time goes, with the SQL queries per request.
"""

import json
import logging
import sys
import tempfile

from pyinstrument import Profiler

from bench.__main__ import fresh_app, postgres_urls
from bench.form_fixture import answer
from bench.submissions import _product_world


class _Counter(logging.Handler):
    count = 0

    def emit(self, record):
        self.count += 1
        if "-v" in sys.argv:
            print("   SQL", record.getMessage()[:160])


def main(fields=15, requests=300, backend="sqlite"):
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = (f"sqlite:///{tmp}/p.sqlite3", lambda: None)
        if backend == "postgresql":
            url, drop = postgres_urls()
        try:
            app = fresh_app(url)
            token, campaigns, first = _product_world(app, (fields,), requests + 10)
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}"}
            body = json.dumps({"data": answer(fields), "version": 0})
            url_of = f"/api/v1/campaigns/{campaigns[fields]}/submissions/{{}}"
            counter = _Counter()
            logger = logging.getLogger("peewee")
            logger.addHandler(counter)
            logger.setLevel(logging.DEBUG)
            response = client.put(
                url_of.format(first), data=body, headers=headers, content_type="application/json"
            )
            assert response.status_code == 201, response.json
            print("queries per request:", counter.count)
            logger.setLevel(logging.WARNING)
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for i in range(1, requests):
                client.put(
                    url_of.format(first + i),
                    data=body,
                    headers=headers,
                    content_type="application/json",
                )
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))
        finally:
            drop()


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 15,
        backend=sys.argv[2] if len(sys.argv) > 2 else "sqlite",
    )
