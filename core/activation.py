"""Which programme blocks are switched on where: the one place that answers it.

A setting on a region, hub or municipality applies to its whole subtree; the nearest
setting on the way from the root wins, so a municipality can opt out of a block the region
switched on.  With no setting a block is off.  Data is never deleted when a block is
switched off.

Three questions, for the core, the engines and the blocks alike:
``is_enabled(org, name)`` — is the block on at this organisation; ``where_on(scope, name)``
— the subtrees under a scope where it is on; ``reachable(principal, name)`` — does one of
the caller's scopes hold an organisation where it is on (menus, block pages, forms).
All of them read one ``ActivationMap``: the whole ``plugin_activation`` table in one
query, kept for the request (``flask.g``) and read afresh outside one.
"""

from typing import NamedTuple

from flask import g, has_request_context, request

from core.access import ROOT
from core.models import Organization, PluginActivation, utcnow


class Setting(NamedTuple):
    """An explicit switch of one block at one organisation."""

    organization_id: int
    path: str
    enabled: bool


def _prefixes(path: str):
    """The paths from the root down to ``path`` ("/1/", "/1/5/", "/1/5/23/")."""
    end = 0
    while (end := path.find("/", end + 1)) > 0:
        yield path[: end + 1]


class ActivationMap:
    """Every setting of every block, answering from memory."""

    def __init__(self, rows):
        self.settings: dict[str, dict[str, Setting]] = {}  # plugin → path → setting
        for plugin, org_id, path, enabled in rows:
            self.settings.setdefault(plugin, {})[path] = Setting(org_id, path, bool(enabled))
        self._children: dict[str, list[str]] | None = None
        self._state: dict[tuple[str, str], bool] = {}

    def nearest(self, path: str, name: str) -> Setting | None:
        found = None
        for prefix in _prefixes(path):
            found = self.settings.get(name, {}).get(prefix, found)
        return found

    def settings_along(self, path: str) -> dict[str, Setting]:
        """The nearest setting per block on the path root → ``path``."""
        found = {}
        for name in self.settings:
            setting = self.nearest(path, name)
            if setting is not None:
                found[name] = setting
        return found

    def is_on(self, path: str, name: str) -> bool:
        """The block is on at the organisation with this materialised path."""
        key = (path, name)
        if key not in self._state:  # audiences ask for thousands of organisations
            setting = self.nearest(path, name)
            self._state[key] = bool(setting and setting.enabled)
        return self._state[key]

    def _below(self, path: str, name: str) -> list[Setting]:
        """Settings strictly under ``path``."""
        return [
            s for p, s in self.settings.get(name, {}).items() if p != path and p.startswith(path)
        ]

    def on_below(self, path: str, name: str) -> bool:
        """The block is on at ``path`` or at some organisation under it."""
        return self.is_on(path, name) or any(s.enabled for s in self._below(path, name))

    def where_on(self, path: str, name: str) -> list[str]:
        """Disjoint subtrees under (or at) ``path`` holding exactly the organisations where
        the block is on, in path order."""
        return self._cover(path, name, self.is_on(path, name))

    def _cover(self, path, name, on):
        below = self._below(path, name)
        if on and all(s.enabled for s in below):
            return [path]
        if not on:  # off here: only the settings below can switch it on again
            topmost = [
                s.path
                for s in below
                if not any(o.path != s.path and s.path.startswith(o.path) for o in below)
            ]
            return [
                found
                for top in sorted(topmost)
                for found in self._cover(top, name, self.is_on(top, name))
            ]
        # On here with an opt-out below: the children, each with its own answer.
        return [
            found
            for child in self._children_of(path)
            for found in self._cover(child, name, self.is_on(child, name))
        ]

    def _children_of(self, path: str) -> list[str]:
        """The children of ``path``.  Read once, for every organisation above some setting
        (one query, and only when a block is switched off under where it is on)."""
        if self._children is None:
            parents = {
                prefix
                for by_path in self.settings.values()
                for setting_path in by_path
                for prefix in _prefixes(setting_path)
                if prefix != setting_path
            }
            ids = [int(p.strip("/").split("/")[-1]) for p in parents]
            self._children = {}
            query = Organization.select(Organization.path).where(Organization.parent.in_(ids))
            for (child,) in query.tuples():
                self._children.setdefault(child[: child.rstrip("/").rfind("/") + 1], []).append(
                    child
                )
        return sorted(self._children.get(path, []))

    def reachable(self, scopes, name: str) -> bool:
        """One of the subtrees ``scopes`` holds an organisation where the block is on."""
        if ROOT in scopes:
            return any(s.enabled for s in self.settings.get(name, {}).values())
        return any(self.on_below(scope, name) for scope in scopes)


def _load() -> ActivationMap:
    query = PluginActivation.select(
        PluginActivation.plugin,
        PluginActivation.organization,
        Organization.path,
        PluginActivation.enabled,
    ).join(Organization)
    return ActivationMap(query.tuples())


def current_map() -> ActivationMap:
    """The activation map: read once per request, afresh outside a request (the CLI, jobs).

    Keyed by the request object: tests may run several requests in one app context."""
    if not has_request_context():
        return _load()
    owner = request._get_current_object()
    cached = g.get("_activation")
    if cached is None or cached[0] is not owner:
        cached = g._activation = (owner, _load())
    return cached[1]


def forget() -> None:
    """Drop the request's map (after a write to ``plugin_activation``)."""
    if has_request_context():
        g.pop("_activation", None)


def settings_along(org) -> dict[str, Setting]:
    """The nearest setting per block on the path root → ``org``."""
    return current_map().settings_along(org.path)


def enabled_plugins(org, installed) -> set[str]:
    return {name for name, s in settings_along(org).items() if s.enabled and name in installed}


def is_enabled(org, name) -> bool:
    """Block ``name`` is on at ``org`` (anything with a materialised ``path``)."""
    return current_map().is_on(org.path, name)


def where_on(scope, name) -> list[str]:
    """The subtrees (paths) under ``scope`` where block ``name`` is on; [] if nowhere."""
    return current_map().where_on(scope.path, name)


def on_below(scope, name) -> bool:
    """Block ``name`` is on at ``scope`` or somewhere under it."""
    return current_map().on_below(scope.path, name)


def reachable(principal, name) -> bool:
    """The caller's scopes hold an organisation where block ``name`` is on (None: a core
    feature, always reachable)."""
    return name is None or current_map().reachable(principal.scopes(), name)


def set_enabled(org, name, enabled, user=None) -> tuple[bool | None, bool]:
    """Store the setting on ``org``; return (previous explicit value, new value)."""
    row = PluginActivation.get_or_none(organization=org, plugin=name)
    previous = None if row is None else row.enabled
    if row is None:
        PluginActivation.create(organization=org, plugin=name, enabled=enabled, changed_by=user)
    else:
        row.enabled, row.changed_at, row.changed_by = enabled, utcnow(), user
        row.save()
    forget()
    return previous, enabled


# --- markers the URL guard reads (core/url_guard.py) -----------------------------------


def unguarded(reason: str):
    """Mark a block's view the guard lets through: the view itself calls this module
    (a region's catalogue: on somewhere under the region).  ``reason`` says why."""
    if not reason or not reason.strip():
        raise ValueError("unguarded() needs a reason")

    def mark(view):
        view._activation_guard = ("unguarded", reason)
        return view

    return mark


def on_under(parameter: str):
    """Mark a view whose URL names a subtree by ``parameter`` (a region's catalogue or
    settings, ``region_id``): 404 unless the block is on somewhere in that subtree (a region
    rarely switches a block on itself; its municipalities do)."""

    def mark(view):
        view._activation_guard = ("subtree", parameter)
        return view

    return mark


def for_own_scopes(view):
    """Mark a view without an organisation in its URL ("my results", "assigned to me"):
    404 unless the block is reachable from the caller's own scopes."""
    view._activation_guard = ("reachable", "")
    return view


def guard_mode(view) -> tuple[str, str] | None:
    """The marker of ``view`` (or of a view it wraps), or None."""
    while view is not None:
        mode = getattr(view, "_activation_guard", None)
        if mode is not None:
            return mode
        view = getattr(view, "__wrapped__", None)
    return None
