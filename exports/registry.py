"""Which exports exist for a scope: the core's and those of blocks switched on there."""

from core import activation
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
    """Subtrees under (or at) ``scope`` where ``plugin`` is on (``core.activation``)."""
    return activation.where_on(scope, plugin)


def enabled_paths_of(orgs, plugin) -> dict[int, list[str]]:
    """``enabled_paths`` for many organisations: {org id: paths}, one activation read."""
    on = activation.current_map()
    return {org.id: on.where_on(org.path, plugin) for org in orgs}


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
