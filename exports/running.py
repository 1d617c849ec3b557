"""Produce an export file: shared by the API (streamed), the CLI and the worker."""

import os
import tempfile

from core import audit
from core.db import database
from exports import consolidated
from exports.context import ExportContext, parse_period
from exports.registry import LEVEL_TITLES, LEVELS, available, enabled_paths, find
from exports.workbook import write_export
from forms.models import Campaign

CONSOLIDATED = {
    "code": "consolidated",
    "title": "Сводная книга региона",
    "levels": ["region", "hub"],
    "needs": ["period"],
}


def offered(scope, registry) -> list[tuple[dict, str | None]]:
    """(declaration, owning block or None) of every export that can be built at ``scope``:
    the core's, those of blocks switched on there, and the consolidated workbook for a
    region or a hub."""
    found = available(scope, registry)
    if LEVELS[scope.kind] in CONSOLIDATED["levels"]:
        found.append((CONSOLIDATED, None))
    return found


class ExportRefused(ValueError):
    def __init__(self, field, message, status=422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def prepare(code, scope, registry, *, period=None, campaign_id=None, user=None):
    """Resolve (declaration, context) or raise ExportRefused naming the bad parameter."""
    if code == CONSOLIDATED["code"]:
        declaration, owner = CONSOLIDATED, None
    else:
        declaration, owner = find(code, scope, registry)
    if declaration is None:
        raise ExportRefused("code", "Выгрузка не найдена или её блок отключён.", 404)
    if LEVELS[scope.kind] not in declaration["levels"]:
        allowed = ", ".join(LEVEL_TITLES[level] for level in declaration["levels"])
        raise ExportRefused("scope", f"Эта выгрузка строится для уровней: {allowed}.")
    try:
        parsed = parse_period(period)
    except ValueError as error:
        raise ExportRefused("period", str(error)) from None
    if "period" in declaration.get("needs", []) and parsed is None:
        raise ExportRefused("period", "Укажите период.")
    campaign = None
    if "campaign" in declaration.get("needs", []):
        if not campaign_id:
            raise ExportRefused("campaign", "Укажите кампанию.")
        campaign = Campaign.get_or_none(Campaign.id == campaign_id)
        related = campaign is not None and (
            campaign.scope.path.startswith(scope.path) or scope.path.startswith(campaign.scope.path)
        )
        if not related:  # another area's campaign answers exactly like an unknown id
            raise ExportRefused("campaign", "Кампания не найдена.", 404)
    ctx = ExportContext(
        scope=scope,
        user=user,
        period_start=parsed[0] if parsed else None,
        period_end=parsed[1] if parsed else None,
        period_label=parsed[3] if parsed else "",
        campaign=campaign,
        enabled_paths=enabled_paths(scope, owner) if owner else None,
    )
    return declaration, ctx


def produce(declaration, ctx, path, registry, progress=None) -> int:
    """Write the file and record the export in the audit log."""
    if declaration["code"] == CONSOLIDATED["code"]:
        rows = consolidated.write(ctx, registry, path, progress=progress)
    else:
        rows = write_export(declaration, ctx, path, progress=progress)
    with database.atomic():
        audit.record(
            "export",
            user=ctx.user,
            object_type="export",
            scope_path=ctx.scope.path,
            after={
                "code": declaration["code"],
                "scope_id": ctx.scope.id,
                "period": ctx.period_label,
                "campaign_id": ctx.campaign.id if ctx.campaign else None,
                "rows": rows,
                # Lists people (152-FZ): shown in the audit log of each staff record in scope.
                "personal_data": bool(
                    declaration.get("personal_data") or declaration["code"] == CONSOLIDATED["code"]
                ),
            },
        )
    return rows


def temporary_path(directory=None) -> str:
    handle, path = tempfile.mkstemp(suffix=".xlsx", dir=directory)
    os.close(handle)
    return path


def filename(declaration, ctx) -> str:
    parts = [declaration["code"], ctx.scope.code]
    if ctx.period_start:
        parts.append(ctx.period_start.isoformat()[:7])
    return "-".join(parts) + ".xlsx"
