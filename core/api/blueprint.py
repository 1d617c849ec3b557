"""The Blueprint every API module (core and plugins) uses.

flask-smorest's blueprint with one change: unknown query parameters are
refused like unknown body fields, so a misspelt filter (``?kinds=school``)
answers 422 instead of silently returning everything.
"""

import flask_smorest
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,  # None: the schema's own rule (RAISE) applies
        "querystring": None,
    }


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
