"""The site shell this block's pages use: the one place to switch when the shell moves
from ``forms.pages`` into ``core.web``."""

from forms.pages.session import csrf_token, login_required

__all__ = ["csrf_token", "login_required"]
