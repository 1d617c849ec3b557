"""Per-region settings of the block, with defaults when a region set nothing."""

from plugins.mentoring.models import MentoringSetting


def settings_for(org) -> MentoringSetting:
    """The settings of ``org``'s region (unsaved defaults if none are stored)."""
    row = MentoringSetting.get_or_none(MentoringSetting.region == org.region_id)
    return row or MentoringSetting(region=org.region_id)
