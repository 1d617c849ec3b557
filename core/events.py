"""Domain events: queued inside the write, dispatched once after it commits.

Peewee has no commit hooks, so a domain function that changes something wraps its
transaction in ``collecting()``::

    with events.collecting(), database.atomic():
        ...write...
        events.after_commit("staff_changed", staff=staff, action="create", user=user)

Every caller (API, page, CLI, bulk action, import) then gets the same events.  Scopes
nest: only the outermost one dispatches, after its ``with`` block (and so the
transaction inside it) has exited; a scope left by an exception drops what was queued
inside it, so a rolled-back change is never announced.  A listener that raises is
logged and does not undo the committed change, nor silence the other blocks.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from core.plugin_access import manager

log = logging.getLogger(__name__)

_queue: ContextVar[list | None] = ContextVar("metodnet_events", default=None)


@contextmanager
def collecting():
    """Collect the events queued inside; the outermost scope dispatches them on success."""
    queue = _queue.get()
    if queue is not None:  # nested: the outer scope dispatches
        mark = len(queue)
        try:
            yield
        except BaseException:
            del queue[mark:]  # this part was rolled back (the outer one may go on)
            raise
        return
    queue = []
    token = _queue.set(queue)
    try:
        yield
    finally:
        _queue.reset(token)  # listeners that write open scopes of their own
    for name, kwargs in queue:
        dispatch(name, **kwargs)


def after_commit(name: str, **kwargs) -> None:
    """Queue the event hook ``name`` for after the commit of the current ``collecting()``."""
    queue = _queue.get()
    if queue is None:
        raise RuntimeError(
            f"event {name!r} queued outside events.collecting(): wrap the domain "
            "function's transaction in it"
        )
    queue.append((name, kwargs))


def dispatch(name: str, **kwargs) -> None:
    """Call the hook on each block through pluggy, one block at a time, so that one
    listener's failure is logged and the others still hear the event."""
    pm = manager()
    hook = getattr(pm.hook, name)
    plugins = [impl.plugin for impl in hook.get_hookimpls()]
    for plugin in plugins:
        others = [other for other in plugins if other is not plugin]
        try:
            pm.subset_hook_caller(name, remove_plugins=others)(**kwargs)
        except Exception:
            log.exception("listener %s of %s failed", pm.get_name(plugin), name)
