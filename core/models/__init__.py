"""Core models.  Plugins define their own in their folders."""

from core.models.activity import Activity
from core.models.audit import AuditEntry
from core.models.base import BaseModel, JSONField, utcnow
from core.models.block_setting import BlockSetting
from core.models.import_job import ImportJob
from core.models.job_lease import JobLease
from core.models.organization import Organization, OrganizationStatus
from core.models.plugin_state import PluginActivation
from core.models.staff import StaffMember
from core.models.user import ApiToken, ClientThrottle, LoginThrottle, RoleGrant, User

__all__ = [
    "Activity",
    "ApiToken",
    "AuditEntry",
    "BaseModel",
    "BlockSetting",
    "ClientThrottle",
    "ImportJob",
    "JSONField",
    "JobLease",
    "LoginThrottle",
    "Organization",
    "OrganizationStatus",
    "PluginActivation",
    "RoleGrant",
    "StaffMember",
    "User",
    "utcnow",
]
