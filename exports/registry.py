"""Which exports exist for a scope: the core's and those of blocks switched on there."""

from core.activation import is_enabled
from core.models import Organization, PluginActivation
from core.models.organization import in_subtree
from core.plugins import PluginError
from exports.core_exports import CORE_EXPORTS

LEVELS = {
    "region": "region",
    "hub": "hub",
    "municipality": "municipality",
    "school": "organization",
    "kindergarten": "organization",
    "additional": "organization",
    "methodical_centre": "organization",
}
LEVEL_TITLES = {
    "region": "регион",
    "hub": "межмуниципальный центр",
    "municipality": "муниципалитет",
    "organization": "организация",
}


def check(declaration, owner="core"):
    """Refuse a malformed export declaration at start-up, naming the plugin."""
    problems = []
    for key in ("code", "title", "levels", "sheets"):
        if not declaration.get(key):
            problems.append(f"no {key}")
    if set(declaration.get("levels", [])) - set(LEVEL_TITLES):
        problems.append(f"levels must be among {sorted(LEVEL_TITLES)}")
    sheets = declaration.get("sheets")
    if isinstance(sheets, list):
        for sheet in sheets:
            if not sheet.get("name") or not sheet.get("columns") or not callable(sheet.get("rows")):
                problems.append("every sheet needs name, columns and a rows callable")
    elif not callable(sheets):
        problems.append("sheets must be a list or a callable")
    if problems:
        raise PluginError(
            f"plugin {owner!r}: export {declaration.get('code')!r}: {'; '.join(problems)}"
        )


def enabled_paths(scope, plugin) -> list[str]:
    """Subtrees under (or at) ``scope`` where ``plugin`` is on, the nearest setting winning."""
    if is_enabled(scope, plugin):
        offs = (
            Organization.select(Organization.path)
            .join(PluginActivation)
            .where(
                PluginActivation.plugin == plugin,
                PluginActivation.enabled == False,  # noqa: E712
                in_subtree(Organization.path, scope.path),
            )
        )
        if not offs.exists():
            return [scope.path]
    rows = (
        Organization.select(Organization.path, PluginActivation.enabled)
        .join(PluginActivation)
        .where(PluginActivation.plugin == plugin, in_subtree(Organization.path, scope.path))
        .order_by(Organization.path)
        .tuples()
    )
    paths = []
    for path, _enabled in rows:
        org = Organization.get(Organization.path == path)
        if is_enabled(org, plugin) and not any(path.startswith(p) for p in paths):
            paths.append(path)
    return paths


def enabled_paths_of(orgs, plugin) -> dict[int, list[str]]:
    """``enabled_paths`` for many organisations from one query: {org id: paths}."""
    settings = dict(
        Organization.select(Organization.path, PluginActivation.enabled)
        .join(PluginActivation)
        .where(PluginActivation.plugin == plugin)
        .tuples()
    )

    def on(path):  # the nearest setting on the way from the root wins
        state, end = False, 0
        while (end := path.find("/", end + 1)) > 0:
            state = settings.get(path[: end + 1], state)
        return state

    found = {}
    for org in orgs:
        under = sorted(p for p in settings if p.startswith(org.path))
        if on(org.path) and all(settings[p] for p in under):
            found[org.id] = [org.path]
            continue
        paths = []
        for path in under:
            if on(path) and not any(path.startswith(p) for p in paths):
                paths.append(path)
        found[org.id] = paths
    return found


def available(scope, registry) -> list[tuple[dict, str | None]]:
    """(declaration, owning plugin or None) of the exports allowed at ``scope``."""
    level = LEVELS[scope.kind]
    found = [(d, None) for d in CORE_EXPORTS if level in d["levels"]]
    for declaration in registry.items("exports"):
        owner = registry.owner("exports", declaration["code"])
        if level in declaration["levels"] and enabled_paths(scope, owner):
            found.append((declaration, owner))
    return found


def find(code, scope, registry):
    """The export ``code`` if it exists here (its level is checked by the caller)."""
    for declaration in CORE_EXPORTS:
        if declaration["code"] == code:
            return declaration, None
    for declaration in registry.items("exports"):
        owner = registry.owner("exports", declaration["code"])
        if declaration["code"] == code and enabled_paths(scope, owner):
            return declaration, owner
    return None, None
