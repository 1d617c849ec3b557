"""marshmallow schemas of the JSON API (input and output, and the OpenAPI document)."""
