"""The block's pages: the pairs register of a school or a municipality, young teachers
without a mentor, mentor schools.  They call the same queries as the API (``places``),
under the same access rules, and log every person shown as a personal-data read."""

from flask import Blueprint, g, render_template, url_for
from markupsafe import Markup

from core import clock, personal_data
from core.api import scoping
from core.web.session import login_required
from plugins.mentoring import places

bp = Blueprint("mentoring_pages", __name__, url_prefix="/mentoring", template_folder="templates")

PAGES = [
    ("mentoring_pages.pairs", "Наставнические пары"),
    ("mentoring_pages.young", "Молодые педагоги без наставника"),
    ("mentoring_pages.mentor_schools", "Школы-наставники"),
]


def _render(template, org, **context):
    others = [o for o in places.served_places(g.principal) if o.id != org.id]
    return render_template(template, org=org, pages=PAGES, others=others, **context)


@bp.route("/organizations/<int:org_id>/pairs")
@login_required
def pairs(org_id):
    org = scoping.organization(org_id, "mentoring.pairs.read")
    rows = places.register_of(org)
    people = {person.id: person for r in rows for person in (r["mentor"], r["mentee"])}
    personal_data.record_reads(g.principal.user, list(people.values()), via="mentoring_pairs")
    return _render("mentoring/pairs.html", org, rows=rows)


@bp.route("/organizations/<int:org_id>/young-without-mentor")
@login_required
def young(org_id):
    org = scoping.organization(org_id, "staff.read")
    year = clock.today(org).year
    people = places.young_without_mentor([org.path], year)
    personal_data.record_reads(g.principal.user, people, via="mentoring_young")
    return _render("mentoring/young.html", org, people=people, year=year)


@bp.route("/organizations/<int:org_id>/mentor-schools")
@login_required
def mentor_schools(org_id):
    org = scoping.organization(org_id)
    return _render("mentoring/mentor_schools.html", org, links=list(places.links_in(org)))


def menu_links(principal):
    """One link to the register of the first place the block serves the person."""
    served = places.served_places(principal)
    if not served:
        return []
    href = url_for("mentoring_pages.pairs", org_id=served[0].id)
    return [{"href": href, "label": "Наставничество", "order": 40}]


def home_widgets(principal):
    served = places.served_places(principal)
    if not served:
        return []
    counts = [(org, places.count_young_without_mentor([org.path])) for org in served]
    html = render_template("mentoring/widget_young.html", counts=counts)
    total = sum(count for _, count in counts)
    title = f"Молодые педагоги без наставника: {total}"
    return [{"title": title, "html": Markup(html), "order": 40}]
