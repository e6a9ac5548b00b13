"""One registry for every rule: built-ins, YAML packs and entry-point plugins."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ConfigError, PluginError, RulePackError
from ..findings import Severity
from ..packagedata import PACKAGE_DIR
from .base import BUILTIN, Rule
from .packs import load_pack

ENTRY_POINT_GROUP = "pecoscheck.rules"

# Ids produced by the loader and the model rather than by rules; listed so they can be explained.
CORE_RULES: dict[str, tuple[str, str]] = {
    "YML001": ("YAML syntax error", "The file is not valid YAML; nothing else can be checked until it is."),
    "YML002": ("Duplicate key", "YAML silently keeps the last of two equal keys, losing the first value."),
    "YML003": ("Refused YAML tag", "Tags that construct objects can run code; profiles hold plain data only."),
    "YML004": ("Alias expansion too large", "A 'billion laughs' file expands anchors into a huge document."),
    "YML005": ("File too large or too deep", "Profiles are small; oversized input is refused unread."),
    "YML006": ("Not UTF-8 text", "Profiles are UTF-8 text; other encodings would be misread."),
    "YML007": ("Not a profile mapping", "A profile is a mapping of keys at the top level."),
    "YML008": ("Unreadable file", "The file could not be opened or read."),
    "SCH001": ("Unknown key", "A misspelt key would be silently ignored; the format names every key."),
    "SCH002": ("Missing required key", "The format requires this key for this kind of provider."),
    "SCH003": ("Wrong type or value", "The value is not of the type or among the values the format allows."),
    "SCH004": ("Invalid date", "Dates are written YYYY-MM-DD and must exist on the calendar."),
    "SCH900": ("Readiness rules not run", "Rules run once the profile matches the format."),
    "SUP001": ("Suppression without a reason", "An inline suppression must say why the exception is justified."),
    "SUP002": ("Unused suppression", "A suppression names a rule that did not fire on its line."),
}
CORE_SOURCE = "pecoscheck profile format v1 (docs/profile-format.md, 'Reading rules')"


def _core_rule(rule_id: str) -> Rule:
    title, rationale = CORE_RULES[rule_id]
    severity = Severity.INFO if rule_id in ("SCH900",) else (
        Severity.WARNING if rule_id == "SUP002" else Severity.ERROR)
    return Rule(id=rule_id, title=title, severity=severity, check=lambda ctx: (), rationale=rationale,
                source=CORE_SOURCE, hint="", origin="core")


def builtin_pack_dir() -> Path:
    """The folder of rule packs shipped with pecoscheck (``rules/`` in a source checkout)."""
    shipped = Path(PACKAGE_DIR, "packs")
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[3] / "rules"


class Registry:
    """All known rules by id, plus the document types the packs define."""

    def __init__(self, rules: dict[str, Rule] | None = None, document_types: dict[str, str] | None = None) -> None:
        self.rules: dict[str, Rule] = rules if rules is not None else {}
        self.document_types: dict[str, str] = document_types if document_types is not None else {}

    def add(self, rule: Rule) -> None:
        if rule.id in self.rules:
            other = self.rules[rule.id]
            raise RulePackError(rule.origin, None, f"rule id {rule.id} is already defined by {other.origin}")
        self.rules[rule.id] = rule

    def add_pack_dir(self, folder: Path) -> None:
        if not folder.is_dir():
            raise ConfigError(f"rule folder not found: {folder}")
        for path in sorted(folder.glob("*.y*ml")):
            rules, doc_types = load_pack(path)
            for r in rules:
                self.add(r)
            self.document_types.update(doc_types)

    def add_plugins(self) -> None:
        from ..entrypoints import entry_points

        for ep in entry_points(ENTRY_POINT_GROUP):
            try:
                provided = ep.load()
                items = provided() if callable(provided) and not isinstance(provided, Rule) else provided
                for r in items if isinstance(items, Iterable) and not isinstance(items, Rule) else [items]:
                    if not isinstance(r, Rule):
                        raise TypeError(f"{r!r} is not a pecoscheck Rule")
                    if r.origin == "builtin":
                        r = r._replace(origin=f"plugin:{ep.name}")
                    self.add(r)
            except RulePackError:
                raise
            except Exception as exc:  # a broken plugin must not look like a profile problem
                raise PluginError(f"rule plugin `{ep.name}` ({ep.value}) failed to load: {exc}") from exc

    def resolve(self, selectors: Sequence[str]) -> set[str]:
        """Rule ids matched by selectors: ``ALL``, an id, or a prefix such as ``NPI`` or ``DOC00``."""
        out: set[str] = set()
        for raw in selectors:
            sel = raw.strip().upper()
            if not sel:
                continue
            if sel == "ALL":
                out.update(self.rules)
                continue
            matched = {rid for rid in self.rules if rid.startswith(sel)}
            if not matched:
                raise ConfigError(f"unknown rule or prefix `{raw.strip()}`; see `pecoscheck rules list`")
            out |= matched
        return out

    def select(self, select: Sequence[str] | None = None, ignore: Sequence[str] = (),
               extend_select: Sequence[str] = ()) -> list[Rule]:
        chosen = self.resolve(select) if select else set(self.rules)
        chosen |= self.resolve(extend_select)
        chosen -= self.resolve(ignore)
        return [self.rules[rid] for rid in sorted(chosen)]


_DEFAULT: dict[tuple[tuple[str, ...], bool], Registry] = {}


def default_registry(extra_dirs: Sequence[str | os.PathLike[str]] = (), plugins: bool = True) -> Registry:
    """Built-in rules, the shipped packs, ``extra_dirs`` and (optionally) installed plugins."""
    key = (tuple(str(Path(d).resolve()) for d in extra_dirs), plugins)
    if key in _DEFAULT:
        return _DEFAULT[key]
    from . import builtin  # noqa: F401  (registers the built-in rules)

    reg = Registry()
    for rid in CORE_RULES:
        reg.add(_core_rule(rid))
    for r in BUILTIN:
        reg.add(r)
    from ..duplicates import RULES as REPOSITORY_RULES

    for r in REPOSITORY_RULES:
        reg.add(r)
    reg.add_pack_dir(builtin_pack_dir())
    for d in extra_dirs:
        reg.add_pack_dir(Path(d))
    if plugins:
        reg.add_plugins()
    _DEFAULT[key] = reg
    return reg


def known_document_types() -> dict[str, str]:
    """Document types of the shipped packs and of every registry built so far (so ``--rules`` packs count)."""
    # Every registry holds the shipped packs' types first: building one without plugins just for them
    # (loading and validating the packs again) is only needed when no registry exists yet.
    out: dict[str, str] = {} if _DEFAULT else dict(default_registry(plugins=False).document_types)
    for reg in _DEFAULT.values():
        out.update(reg.document_types)
    return out
