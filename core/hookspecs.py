"""The plugin contract: every hook a programme block may implement.

A block is a module (or package) with functions named like these, marked with
``@hookimpl``.  The forms and exports engines are registered the same way.

Four groups, in this order: what a block *declares* at start-up (``register_*``,
plain data merged by the core, duplicate codes refused), what it adds to the
*pages* a person sees, the *events* it hears (in-transaction hooks may refuse a
change; notifications run once after commit), and the *data* it contributes
(demo rows, scale data, a person's profile).
"""

import pluggy

hookspec = pluggy.HookspecMarker("metodnet")
hookimpl = pluggy.HookimplMarker("metodnet")


# --- Declarations (called once at start-up) -------------------------------------------


@hookspec
def plugin_info():
    """Return {"name", "title" (Russian), "version", "description"} describing this block."""


@hookspec
def register_forms():
    """Return a list of form declarations (dicts with a unique "code").

    A declaration may carry callables the engine calls for this form only:
    ``"check": (campaign, organization, data, full) -> {"errors", "warnings"}`` and
    ``"on_accepted": (submission, user) -> None`` (inside the accepting transaction),
    and a ``"schedule"`` by which campaigns open by themselves where the block is on."""


@hookspec
def register_checklists():
    """Return a list of audit checklist declarations (dicts with a unique "code")."""


@hookspec
def register_exports():
    """Return a list of Excel export declarations (dicts with a unique "code")."""


@hookspec
def register_indicators():
    """Return a list of indicator declarations (dicts with a unique "code"); one that has
    only ``compute_grouped`` gets its single-scope ``compute`` from the engine."""


@hookspec
def register_blueprints():
    """Return API blueprints (``core.api.blueprint.Blueprint``); every URL rule is guarded:
    it answers 404 where the block is off (see ``register_url_resolvers``)."""


@hookspec
def register_url_resolvers():
    """Return {url parameter: function(value) -> Organization | None} telling the guard
    which organisation a URL of this block belongs to (``"site_id"`` → the site's
    organisation); ``org_id`` is known to the core.  A rule whose parameters none resolve
    is refused at start-up unless its view is marked ``core.activation.unguarded`` (or
    ``on_under``, ``for_own_scopes``: see core/url_guard.py)."""


@hookspec
def register_permissions():
    """Return a list of {"code", "title" (Russian), "roles": [role codes]}: the named
    permissions this block checks and the roles that hold them."""


@hookspec
def register_roles():
    """Return a list of {"code", "title" (Russian), "rank"}: roles of this block (a contest
    jury member, a site curator), granted on a subtree like the core's roles."""


@hookspec
def register_settings():
    """Return {"schema": marshmallow Schema class, "defaults": dict, "title": Russian}:
    the block's settings per region, stored, served (API and page) and audited by the core."""


@hookspec
def register_vocabulary():
    """Return {kind: [{"code", "label"}]} adding entries to the core's vocabularies without
    a core edit: "organization_statuses", "support_kinds", "event_kinds",
    "activity_kinds", and "personal_data_fields" ({"code": field name, "label",
    "object_types"?: audited object types it belongs to, every type if left out}) masked
    in the audit log and cleared on erasure."""


@hookspec
def register_commands(cli):
    """Add click commands to the ``metodnet`` command group ``cli``."""


@hookspec
def register_migrations():
    """Return the dotted name of a package holding this block's mNNNN_*.py migrations."""


@hookspec
def startup(app):
    """Called once the app is built (every declaration collected, every blueprint and command
    added), and again by `metodnet db upgrade` once the schema is up to date: check what was
    declared (raise ``core.plugins.PluginError``) and store what must be stored (the forms
    engine keeps a version of every declared form).  Must be idempotent."""


# --- Pages ---------------------------------------------------------------------------


@hookspec
def register_pages():
    """Return Flask blueprints of HTML pages; they render in the core's site shell
    (``core/web``: layout, sign-in, CSRF, Russian error pages) and are guarded like the
    API's rules."""


@hookspec
def menu_links(principal):
    """Return a list of {"href", "label", "order"} the signed-in ``principal`` sees in the
    menu (only links to pages they may open)."""


@hookspec
def home_widgets(principal):
    """Return a list of cards for the principal's home page («Рабочий стол»):
    {"title", "html" (markupsafe.Markup), "order"} — what is due, what waits, what is off
    target."""


# --- Events --------------------------------------------------------------------------


@hookspec
def organization_created(organization, user):
    """Called after an organisation is created, by the API or an import (``user`` is None
    for an import by the CLI)."""


@hookspec
def staff_changed(staff, action, user):
    """Called after a staff record is created, updated or dismissed (``action``:
    "create" | "update" | "dismiss"), by the API or an import."""


@hookspec
def support_proposal_accepted(staff, supporter, kind, reason, user):
    """Called when a methodist accepts a proposal of support for a staff member (e.g. a mentor)."""


@hookspec
def check_submission(campaign, organization, data, full):
    """Return {"errors": {path: [..]}, "warnings": {path: [..]}} — a cross-block rule for
    any form; a block's rules for its own forms belong in the form's ``"check"``."""


@hookspec
def submission_state_changing(submission, old_state, new_state, user):
    """Called inside the transaction of a submission's change; raising refuses the change
    and rolls it back.  For derived state that must not be lost."""


@hookspec
def submission_state_changed(submission, old_state, new_state, user):
    """Called once after commit when a submission is created, edited or moves between
    states, whatever path made the change (API, page, CLI, bulk action)."""


@hookspec
def staff_erased(staff, user):
    """Called inside the transaction that erases a staff member's personal data (152-FZ):
    clear the free text the block keeps about the person, keep the figures.  Return a list
    of what was cleared, in Russian ("diagnostics: заметки маршрутов"), for the record."""


# --- Data ----------------------------------------------------------------------------


@hookspec
def demo_data(demo):
    """Add the block's rows to the plain demo region (`metodnet demo`, what `make run`
    shows): ``demo`` is a ``core.demo.Demo`` (organisations and staff by code, users by
    login); switch the block on where it runs and build plausible rows from the seeds."""


@hookspec
def generate_scale_data(world):
    """Add the block's rows to the synthetic region or country `metodnet demo --scale` builds:
    ``world`` is a ``core.demo_scale.World`` (the tree, a compact staff roster, reproducible
    random streams); switch the block on where it runs, insert in bulk, and return the
    number of the block's main records."""


@hookspec
def staff_profile(staff, principal):
    """Return a list of sections of a person's growth profile, {"code", "title", "items":
    [{"label", "value", "date"?, "href"?}]}; the core has already checked that
    ``principal`` may see the person and logs the personal-data read."""
