"""A test-only block with a slow export and one that breaks, and the `metodnet` command
with it registered: the reliability tests run `worker` from here in a real process."""

import os
import time

from flask.cli import FlaskGroup

from core.hookspecs import hookimpl


def _slow_rows(ctx):
    delay = float(os.environ.get("METODNET_TEST_ROW_DELAY", "0.05"))
    for n in range(int(os.environ.get("METODNET_TEST_ROWS", "200"))):
        time.sleep(delay)
        yield [ctx.scope.name, n]


def _broken_rows(ctx):
    raise RuntimeError("/srv/metodnet/secret/path.py: диск переполнен")
    yield  # a generator, as the engine expects


def _declaration(code, title, rows):
    return {
        "code": code,
        "title": title,
        "levels": ["region", "hub", "municipality", "organization"],
        "sheets": [
            {
                "name": "Строки",
                "columns": [{"header": "Организация", "width": 30}, {"header": "№"}],
                "rows": rows,
            }
        ],
    }


@hookimpl
def plugin_info():
    return {"name": "jobtest", "title": "Проверка заданий", "version": "1.0"}


@hookimpl
def register_exports():
    return [
        _declaration("slow_export", "Медленная выгрузка", _slow_rows),
        _declaration("broken_export", "Сломанная выгрузка", _broken_rows),
    ]


def _create_app():
    import sys

    from core.app import create_app

    return create_app(plugins=[sys.modules[__name__]])


cli = FlaskGroup(create_app=_create_app)
