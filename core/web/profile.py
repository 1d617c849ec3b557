"""The growth profile page of a person: the card, every activity with Russian labels, the
sections of the blocks on at their organisation, and «Портфолио педагога» to download.

Both routes call the API's own functions (``core.api.profile``): the same visibility as the
staff record (a teacher only themselves; 404 outside the caller's scope, 403 inside without
the right), the same personal-data read entry, the same logged export of the portfolio.
"""

from flask import Blueprint, render_template, url_for

from core.api.profile import portfolio_file, profile_of
from core.web.session import login_required

bp = Blueprint("profile_pages", __name__, template_folder="templates")


@bp.route("/staff/<int:staff_id>/profile")
@login_required
def profile(staff_id):
    return render_template("profile/profile.html", profile=profile_of(staff_id))


@bp.route("/staff/<int:staff_id>/portfolio.xlsx")
@login_required
def portfolio(staff_id):
    return portfolio_file(staff_id)


def menu_links(principal) -> list[dict]:
    """«Мой профиль» for a teacher: their own staff record."""
    if not principal.staff_ids:
        return []
    href = url_for("profile_pages.profile", staff_id=min(principal.staff_ids))
    return [{"href": href, "label": "Мой профиль", "order": 30}]
