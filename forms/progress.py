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


def compute(campaign, scope: Organization, missing_limit: int = 1000) -> dict:
    orgs = audience.organizations(campaign, within_path=scope.path)
    if campaign.form.level == "staff":
        subjects = [
            (f"s{s.id}", s.organization_id, s.full_name) for s in audience.staff(campaign, orgs)
        ]
    else:
        subjects = [(f"o{o.id}", o.id, o.name) for o in orgs]
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
            in_subtree(Organization.path, scope.path),
        )
    )
    # Raw driver rows: peewee's per-cell conversions cost more than the query at 45,000.
    rows = {
        key: (state, bool(was_submitted), bool(late))
        for key, state, was_submitted, late in database.execute(query).fetchall()
    }
    org_by_id = {o.id: o for o in orgs}
    child_of = {}
    start = len(scope.path)
    for org in orgs:  # the first path segment below the scope is the child unit
        rest = org.path[start:]
        child_of[org.id] = int(rest[: rest.index("/")]) if rest else None
    child_names = {
        o.id: o.name
        for o in Organization.select(Organization.id, Organization.name).where(
            Organization.id.in_([c for c in set(child_of.values()) if c])
        )
    }
    overall, children, missing = _blank(), {}, []
    for key, org_id, name in subjects:
        row = rows.get(key)
        _add(overall, row)
        child = child_of.get(org_id)
        if child is not None:
            unit = children.get(child)
            if unit is None:  # (setdefault would build a blank for every subject)
                unit = children[child] = _blank()
            _add(unit, row)
        if (row is None or not row[1]) and len(missing) < missing_limit:
            org = org_by_id[org_id]
            missing.append(
                {
                    "id": int(key[1:]),
                    "name": name,
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
