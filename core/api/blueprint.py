"""The Blueprint every API module (core and plugins) uses.

flask-smorest's blueprint with two changes: unknown query parameters are
refused like unknown body fields, so a misspelt filter (``?kinds=school``)
answers 422 instead of silently returning everything; and a JSON number too
long for any field never reaches Python's int conversion (which refuses more
than 4,300 digits with a ValueError, a 500), it becomes infinity, which every
integer and number field refuses with the field's name.
"""

import json

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

LONGEST_INTEGER = 40  # digits: far beyond any column (a 64-bit integer has 19)


def _bounded_int(digits: str):
    return int(digits) if len(digits) <= LONGEST_INTEGER else float("inf")


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,  # None: the schema's own rule (RAISE) applies
        "querystring": None,
    }

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(error.reason, "?", error.start) from None
        return json.loads(text, parse_int=_bounded_int)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
