"""The plugin contract: every hook a programme block may implement.

A block is a module (or package) with functions named like these, marked with
``@hookimpl``.  ``register_*`` hooks return plain data; the core merges it at
start-up and refuses duplicate codes.  Event hooks are called by the core with
keyword arguments after the change is committed.
"""

import pluggy

hookspec = pluggy.HookspecMarker("metodnet")
hookimpl = pluggy.HookimplMarker("metodnet")


@hookspec
def plugin_info():
    """Return {"name", "title" (Russian), "version", "description"} describing this block."""


@hookspec
def register_forms():
    """Return a list of form declarations (dicts with a unique "code")."""


@hookspec
def register_checklists():
    """Return a list of audit checklist declarations (dicts with a unique "code")."""


@hookspec
def register_exports():
    """Return a list of Excel export declarations (dicts with a unique "code")."""


@hookspec
def register_indicators():
    """Return a list of indicator declarations (dicts with a unique "code")."""


@hookspec
def register_blueprints():
    """Return Flask blueprints; their URL rules with <org_id> vanish where the block is off."""


@hookspec
def register_commands(cli):
    """Add click commands to the ``metodnet`` command group ``cli``."""


@hookspec
def register_migrations():
    """Return the dotted name of a package holding this block's mNNNN_*.py migrations."""


@hookspec
def organization_created(organization, user):
    """Called after an organisation is created (``user`` is None for imports by the CLI)."""


@hookspec
def support_proposal_accepted(staff, supporter, kind, reason, user):
    """Called when a methodist accepts a proposal of support for a staff member (e.g. a mentor)."""


@hookspec
def check_submission(campaign, organization, data, full):
    """Return {"errors": {path: [..]}, "warnings": {path: [..]}} for a block's own rules."""


@hookspec
def submission_state_changed(submission, old_state, new_state, user):
    """Called after a submission is created, edited or moves between states."""


@hookspec
def staff_erased(staff, user):
    """Called inside the transaction that erases a staff member's personal data (152-FZ):
    clear the free text the block keeps about the person, keep the figures.  Return a list
    of what was cleared, in Russian ("diagnostics: заметки маршрутов"), for the record."""


@hookspec
def generate_scale_data(world):
    """Add the block's rows to the synthetic region or country `metodnet demo --scale` builds:
    ``world`` is a ``core.demo_scale.World`` (the tree, a compact staff roster, reproducible
    random streams); switch the block on where it runs, insert in bulk, and return the
    number of the block's main records."""
