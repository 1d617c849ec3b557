"""The guard: every URL rule of a block answers 404 where the block is off.

Each URL parameter that names an object resolves to the organisation the object belongs
to: ``org_id`` is known here, ``staff_id`` is resolved by the core, and a block declares its
own (``register_url_resolvers``: ``result_id`` → the result's staff member's organisation).
The request is refused when any of them is unknown or lies where the block is off.  A rule
none of whose parameters resolve is refused at start-up, unless its view is marked:
``core.activation.on_under("region_id")`` (on somewhere in the subtree the URL names),
``core.activation.for_own_scopes`` (reachable from the caller's scopes: "my results") or
``core.activation.unguarded(reason)`` (the view checks by itself).

The API guards its blueprints with ``ApiError(404)``; the site shell guards the blocks'
pages with werkzeug's ``NotFound`` (an HTML page).  Install the guard after the handler
that loads the caller (``g.principal``): a caller without credentials learns nothing of
activation.
"""

from flask import g, request

from core import activation
from core.models import Organization
from core.plugins import PluginError


def resolve_org_id(value):
    return Organization.get_or_none(Organization.id == value)


def _owner_of(endpoint: str, owners: dict[str, str]) -> str | None:
    """The block owning the endpoint "blueprint[.nested].view", or None."""
    parts = endpoint.split(".")[:-1]
    for end in range(len(parts), 0, -1):
        owner = owners.get(".".join(parts[:end]))
        if owner is not None:
            return owner
    return None


def resolvers_of(app) -> dict:
    """URL parameter → function(value) -> Organization | None, the core's ``org_id`` first."""
    declared = app.extensions["metodnet.registry"].url_resolvers
    return {"org_id": resolve_org_id, **{p: fn for p, (_, fn) in declared.items()}}


def check_rules(app, owners: dict[str, str]) -> None:
    """Refuse at start-up a rule of a block that the guard cannot place."""
    resolvers = resolvers_of(app)
    for rule in app.url_map.iter_rules():
        plugin = _owner_of(rule.endpoint, owners)
        if plugin is None or rule.endpoint.endswith(".static"):
            continue  # not a block's, or its static files (the same everywhere)
        mode = activation.guard_mode(app.view_functions[rule.endpoint])
        if mode is not None and mode[0] == "subtree" and mode[1] not in rule.arguments:
            raise PluginError(
                f"plugin {plugin!r}: URL rule {rule.rule!r} ({rule.endpoint}) is marked "
                f"on_under({mode[1]!r}) but has no such parameter"
            )
        if mode is not None:
            continue
        if not any(argument in resolvers for argument in rule.arguments):
            raise PluginError(
                f"plugin {plugin!r}: URL rule {rule.rule!r} ({rule.endpoint}) has no parameter "
                "that resolves to an organisation (org_id, or one from register_url_resolvers);"
                " resolve one or mark the view core.activation.unguarded(reason)"
            )


def install_guard(app, owners: dict[str, str], refuse) -> None:
    """Guard every URL rule of the blueprints in ``owners`` (blueprint name → block name).

    ``refuse()`` returns the exception to raise (the API's JSON 404, a page's HTML 404).
    Checks the rules at once: call it after the blueprints are registered."""
    check_rules(app, owners)
    resolvers = resolvers_of(app)

    @app.before_request
    def _block_enabled_here():
        if request.endpoint is None or request.endpoint.endswith(".static"):
            return None
        plugin = _owner_of(request.endpoint, owners)
        if plugin is None:
            return None
        mode = activation.guard_mode(app.view_functions.get(request.endpoint))
        if mode is not None:
            kind, parameter = mode
            if kind == "subtree":
                resolve = resolvers.get(parameter, resolve_org_id)
                scope = resolve(request.view_args[parameter])
                if scope is None or not activation.on_below(scope, plugin):
                    raise refuse()
            elif kind == "reachable":
                principal = g.get("principal")
                if principal is None or not activation.reachable(principal, plugin):
                    raise refuse()
            return None
        for argument, value in (request.view_args or {}).items():
            resolve = resolvers.get(argument)
            if resolve is None:
                continue
            org = resolve(value)
            if org is None or not activation.is_enabled(org, plugin):
                raise refuse()
        return None
