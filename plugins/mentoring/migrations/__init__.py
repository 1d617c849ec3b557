"""The mentoring block's migrations."""
