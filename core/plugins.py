"""Build the plugin manager and collect what the plugins declare."""

import importlib
from dataclasses import dataclass, field

import pluggy

from core import hookspecs

ENTRY_POINT_GROUP = "metodnet.plugins"
# register_<kind> hooks returning a list of dicts with a unique "code".
DECLARATION_KINDS = ("forms", "checklists", "exports", "indicators", "permissions", "roles")
# The vocabularies blocks may extend (register_vocabulary).
VOCABULARY_KINDS = (
    "organization_statuses",
    "support_kinds",
    "event_kinds",
    "activity_kinds",
    "personal_data_fields",
)


class PluginError(Exception):
    """A plugin broke the contract (duplicate code, missing metadata...)."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    title: str
    version: str
    description: str = ""


@dataclass
class Registry:
    """Everything the plugins declared, keyed by plugin name and by code."""

    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    declarations: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {kind: {} for kind in DECLARATION_KINDS}
    )
    owners: dict[str, dict[str, str]] = field(
        default_factory=lambda: {kind: {} for kind in DECLARATION_KINDS}
    )
    migrations: dict[str, str] = field(default_factory=dict)
    # plugin name → {"schema", "defaults", "title"} (register_settings)
    settings: dict[str, dict] = field(default_factory=dict)
    # vocabulary kind → code → {"code", "label", "owner"} (register_vocabulary)
    vocabulary: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {kind: {} for kind in VOCABULARY_KINDS}
    )
    # URL parameter → (plugin name, function(value) -> Organization | None)
    url_resolvers: dict[str, tuple] = field(default_factory=dict)
    # pluggy registration name → plugin name from plugin_info
    module_names: dict[str, str] = field(default_factory=dict)

    def owner(self, kind: str, code: str) -> str:
        return self.owners[kind][code]

    def items(self, kind: str, enabled: set[str] | None = None) -> list[dict]:
        """Declarations of ``kind``, only those of ``enabled`` plugins when given."""
        return [
            decl
            for code, decl in self.declarations[kind].items()
            if enabled is None or self.owners[kind][code] in enabled
        ]


# The core and its engines implement hooks like any block (their permissions, commands,
# migrations...), but they are not programme blocks: never listed, never switched off.
ENGINES = {"core": "core.plugin", "forms": "forms.plugin", "exports": "exports.plugin"}


def create_manager(extra_plugins=(), load_entry_points=True) -> pluggy.PluginManager:
    """Hookspecs, the engines, then built-in blocks, then installed ones, then ``extra_plugins``."""
    from plugins import BUILTIN

    pm = pluggy.PluginManager("metodnet")
    pm.add_hookspecs(hookspecs)
    for name, dotted in ENGINES.items():
        pm.register(importlib.import_module(dotted), name=name)
    for dotted in BUILTIN:
        pm.register(importlib.import_module(dotted), name=dotted.rsplit(".", 1)[-1])
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra_plugins:
        pm.register(plugin)
    pm.check_pending()  # a misspelt hook name fails loudly
    return pm


def per_plugin(pm, hook_name, **kwargs):
    """Call a hook plugin by plugin through pluggy, yielding (plugin name, result).

    Each call is a subset caller holding one plugin, so pluggy's own machinery runs
    (opt-in arguments, hook monitoring) and every result says which block it came from.
    """
    hook = getattr(pm.hook, hook_name)
    # Once per plugin, even when it implements the hook several times (specname).
    plugins = list(dict.fromkeys(impl.plugin for impl in hook.get_hookimpls()))
    for plugin in plugins:
        others = [other for other in plugins if other is not plugin]
        results = pm.subset_hook_caller(hook_name, remove_plugins=others)(**kwargs)
        for result in results:
            if result is not None:
                yield pm.get_name(plugin), result


def collect(pm) -> Registry:
    """Merge the declarations of every plugin; refuse duplicates with a clear error."""
    registry = Registry()
    names_by_module = registry.module_names
    names_by_module.update({name: name for name in ENGINES})
    for module_name, info in per_plugin(pm, "plugin_info"):
        missing = [key for key in ("name", "title", "version") if not info.get(key)]
        if missing:
            raise PluginError(f"plugin {module_name!r}: plugin_info lacks {', '.join(missing)}")
        if info["name"] in registry.plugins:
            raise PluginError(f"two plugins are named {info['name']!r}")
        registry.plugins[info["name"]] = PluginInfo(
            info["name"], info["title"], str(info["version"]), info.get("description", "")
        )
        names_by_module[module_name] = info["name"]

    for module_name, plugin in pm.list_name_plugin():
        if module_name not in names_by_module and pm.get_hookcallers(plugin):
            raise PluginError(f"plugin {module_name!r} implements hooks but not plugin_info")

    def plugin_name(module_name):
        if module_name not in names_by_module:
            raise PluginError(f"plugin {module_name!r} implements hooks but not plugin_info")
        return names_by_module[module_name]

    for kind in DECLARATION_KINDS:
        for module_name, items in per_plugin(pm, f"register_{kind}"):
            owner = plugin_name(module_name)
            for decl in items:
                code = decl.get("code") if isinstance(decl, dict) else None
                if not code:
                    raise PluginError(f"plugin {owner!r}: a declaration in {kind} has no code")
                if code in registry.declarations[kind]:
                    first = registry.owners[kind][code]
                    raise PluginError(
                        f"{kind} code {code!r} is declared twice: by {first!r} and by {owner!r}"
                    )
                registry.declarations[kind][code] = decl
                registry.owners[kind][code] = owner

    for module_name, package in per_plugin(pm, "register_migrations"):
        registry.migrations[plugin_name(module_name)] = package

    for module_name, declared in per_plugin(pm, "register_settings"):
        owner = plugin_name(module_name)
        if not declared.get("schema"):
            raise PluginError(f"plugin {owner!r}: register_settings gives no schema")
        registry.settings[owner] = {"title": "", "defaults": {}, **declared}

    for module_name, declared in per_plugin(pm, "register_vocabulary"):
        owner = plugin_name(module_name)
        for kind, entries in declared.items():
            if kind not in registry.vocabulary:
                raise PluginError(f"plugin {owner!r}: unknown vocabulary {kind!r}")
            for entry in entries:
                known = registry.vocabulary[kind].get(entry["code"])
                if known is not None:
                    raise PluginError(
                        f"{kind} code {entry['code']!r} is declared twice: "
                        f"by {known['owner']!r} and by {owner!r}"
                    )
                registry.vocabulary[kind][entry["code"]] = {**entry, "owner": owner}

    for module_name, resolvers in per_plugin(pm, "register_url_resolvers"):
        owner = plugin_name(module_name)
        for parameter, resolve in resolvers.items():
            if parameter in registry.url_resolvers:
                first = registry.url_resolvers[parameter][0]
                raise PluginError(
                    f"URL parameter {parameter!r} is resolved twice: by {first!r} and by {owner!r}"
                )
            registry.url_resolvers[parameter] = (owner, resolve)
    return registry
