"""Campaign progress for a scope, rolled up by its child units.

The denominator is the campaign's audience under the scope (active
organisations, or their active staff for staff-level forms), so a share
never exceeds 100 %.  "Submitted" means submitted at least once (returned
and accepted included); on time vs late is judged by when the server first
received it.
"""

from core.db import database
from core.models import Organization
from core.models.organization import in_subtree
from forms import audience
from forms.models import STATES, Submission


def _blank():
    return {
        "total": 0,
        "by_state": dict.fromkeys(STATES, 0),
        "not_started": 0,
        "submitted": 0,
        "on_time": 0,
        "late": 0,
    }


def _add(unit, row):
    unit["total"] += 1
    if row is None:
        unit["not_started"] += 1
        return
    state, was_submitted, late = row
    unit["by_state"][state] += 1
    if was_submitted:
        unit["submitted"] += 1
        unit["late" if late else "on_time"] += 1


def _finish(unit):
    unit["share_submitted"] = round(unit["submitted"] / unit["total"], 4) if unit["total"] else 0.0
    return unit


def answers(campaign, scope_path: str) -> dict[str, tuple[str, bool, bool]]:
    """subject key → (state, submitted at least once, late) of the campaign's live
    submissions under ``scope_path``, whoever their subject is."""
    query = (
        Submission.select(
            Submission.subject_key,
            Submission.state,
            Submission.first_submitted_at.is_null(False),
            Submission.late,
        )
        .join(Organization)
        .where(
            Submission.campaign == campaign,
            Submission.deleted_at.is_null(),
            in_subtree(Organization.path, scope_path),
        )
    )
    # Raw driver rows: peewee's per-cell conversions cost more than the query at 45,000.
    return {
        key: (state, bool(was_submitted), bool(late))
        for key, state, was_submitted, late in database.execute(query).fetchall()
    }


def tally(campaign, scope_path: str) -> list[tuple[audience.Subject, tuple | None]]:
    """Every audience subject under ``scope_path`` with its answer (None: not started).

    Answers are looked up BY the audience, never counted on their own: a submission of an
    organisation that left the audience (closed, its block switched off, a dismissed
    teacher) counts nowhere, so "submitted" never exceeds the audience.  The progress
    endpoint and the completeness indicator both count from here."""
    rows = answers(campaign, scope_path)
    return [(s, rows.get(s.key)) for s in audience.subjects(campaign, within_path=scope_path)]


def compute(campaign, scope: Organization, missing_limit: int = 1000) -> dict:
    tallied = tally(campaign, scope.path)
    child_of = {}
    start = len(scope.path)
    for subject, _ in tallied:  # the first path segment below the scope is the child unit
        org = subject.organization
        if org.id not in child_of:
            rest = org.path[start:]
            child_of[org.id] = int(rest[: rest.index("/")]) if rest else None
    child_names = {
        o.id: o.name
        for o in Organization.select(Organization.id, Organization.name).where(
            Organization.id.in_([c for c in set(child_of.values()) if c])
        )
    }
    overall, children, missing = _blank(), {}, []
    for subject, row in tallied:
        org = subject.organization
        _add(overall, row)
        child = child_of[org.id]
        if child is not None:
            unit = children.get(child)
            if unit is None:  # (setdefault would build a blank for every subject)
                unit = children[child] = _blank()
            _add(unit, row)
        if (row is None or not row[1]) and len(missing) < missing_limit:
            missing.append(
                {
                    "id": int(subject.key[1:]),
                    "name": subject.name,
                    "organization_id": org.id,
                    "organization": org.name,
                    "state": row[0] if row else None,
                }
            )
    result = _finish(overall)
    result.update(organization_id=scope.id, name=scope.name, missing=missing)
    result["children"] = [
        {"organization_id": cid, "name": child_names.get(cid, ""), **_finish(unit)}
        for cid, unit in sorted(children.items(), key=lambda item: child_names.get(item[0], ""))
    ]
    return result


def default_scope(principal, campaign) -> Organization | None:
    """The deepest of the campaign's scope and the caller's review scopes related to it.

    A regional operator sees the campaign's whole scope; a municipal methodist
    sees their municipality.  None when the caller reviews nothing here.
    """
    paths = [
        p
        for p in principal.scopes("submission.review")
        if p.startswith(campaign.scope.path) or campaign.scope.path.startswith(p)
    ]
    if not paths:
        return None
    deepest = max([campaign.scope.path, *paths], key=len)
    return Organization.get_by_id(int(deepest.strip("/").split("/")[-1]))
