"""Every state × action × role through the API: the status code and the state left behind."""

from core.db import database
from forms.models import Submission
from tests.forms_fixtures import MONITORING, campaign_body

STATES = [None, "draft", "submitted", "returned", "accepted"]
ACTIONS = ["save", "submit", "return", "accept", "reopen", "delete"]
ROLES = [
    "admin", "operator", "methodist_a", "methodist_b", "coord_a1", "coord_b1", "expert_a",
    "teacher_a1",
]  # fmt: skip
FILLERS = {"admin", "coord_a1"}
REVIEWERS = {"admin", "operator", "methodist_a"}
OUTSIDE = {"methodist_b", "coord_b1"}
TRANSITIONS = {  # action: (allowed from, resulting state)
    "save": ({"draft", "returned"}, None),
    "submit": ({"draft", "returned"}, "submitted"),
    "return": ({"submitted"}, "returned"),
    "accept": ({"submitted"}, "accepted"),
    "reopen": ({"accepted"}, "returned"),
}
VALID = {"act_adopted": False, "pairs_total": 0, "pairs_teacher": 0, "pairs_peer": 0}


def expected(state, action, role):
    """(status, state afterwards) by the rules of the workflow."""
    if role in OUTSIDE:
        return 404, state
    allowed = FILLERS if action in ("save", "submit", "delete") else REVIEWERS
    if role not in allowed:
        return 403, state
    if state is None:
        return (201, "draft") if action == "save" else (404, None)
    if action == "delete":
        if state == "draft" or role == "admin":
            return 204, "deleted"
        return 409, state
    sources, target = TRANSITIONS[action]
    if state not in sources:
        return 409, state
    return 200, target or state


def set_state(world, campaign_id, state):
    with database.connection_context():
        Submission.delete().where(Submission.campaign == campaign_id).execute()
        if state is not None:
            Submission.create(
                campaign=campaign_id,
                organization=world.a1,
                subject_key=f"o{world.a1.id}",
                state=state,
                data=VALID,
            )


def current_state(campaign_id):
    with database.connection_context():
        row = Submission.get_or_none(Submission.campaign == campaign_id)
    if row is None:
        return None
    return "deleted" if row.deleted_at else row.state


def test_every_state_action_role(api, world):
    api.as_("operator").post("/api/v1/forms", json=MONITORING)
    campaign = api.as_("operator").post("/api/v1/campaigns", json=campaign_body(world.region.id))
    cid = campaign.json["id"]
    url = f"/api/v1/campaigns/{cid}/submissions/{world.a1.id}"
    mismatches = []
    for state in STATES:
        for action in ACTIONS:
            for role in ROLES:
                set_state(world, cid, state)
                client = api.as_(role)
                if action == "save":
                    response = client.put(url, json={"data": {**VALID, "act_number": "1"}})
                elif action == "delete":
                    response = client.delete(url)
                elif action in ("return", "reopen"):
                    response = client.post(f"{url}/{action}", json={"reason": "причина"})
                else:
                    response = client.post(f"{url}/{action}", json={})
                want = expected(state, action, role)
                got = (response.status_code, current_state(cid))
                if got != want:
                    mismatches.append((state, action, role, want, got))
    assert mismatches == [], "\n".join(map(str, mismatches))
