"""The form engine's JSON API."""


def blueprints():
    from forms.api import audits, campaigns, forms, schedules, submissions, webhooks

    return [forms.blp, campaigns.blp, submissions.blp, audits.blp, webhooks.blp, schedules.blp]
