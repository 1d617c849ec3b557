"""The site shell this block's pages use (``core.web``)."""

from core.web.session import csrf_token, login_required

__all__ = ["csrf_token", "login_required"]
