"""What the language server knows between messages, without any LSP: options per project, checks that never raise."""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..engine import Options, RuleSet, check_text
from ..findings import Finding, Severity, mask_identifiers

Log = Callable[[str, str], None]  # (level: "error" | "warning" | "info", message)
_PROFILE_KEY = re.compile(r"^(schema_version|provider|enrollment)\s*:", re.MULTILINE)


@dataclass
class ServerSettings:
    """What the editor may set in ``initializationOptions``."""

    as_of: date | None = None
    online: frozenset[str] = frozenset()
    debounce_ms: int = 40
    only_profiles: bool = True

    @classmethod
    def parse(cls, raw: object, log: Log) -> ServerSettings:
        out = cls()
        if not isinstance(raw, dict):
            return out
        for key, value in raw.items():
            try:
                if key in ("as_of", "asOf") and value:
                    out.as_of = date.fromisoformat(str(value))
                elif key == "online":
                    names = [value] if isinstance(value, str) else list(value or [])
                    unknown = sorted(set(names) - {"nppes", "pecos", "exclusions"})
                    if unknown:
                        log("warning", f"initializationOptions.online: unknown source(s) {', '.join(unknown)}; "
                                       "known: nppes, pecos, exclusions")
                    out.online = frozenset(n for n in names if n in ("nppes", "pecos", "exclusions"))
                elif key in ("debounce_ms", "debounceMs"):
                    out.debounce_ms = max(0, int(value))
                elif key in ("only_profiles", "onlyProfiles"):
                    out.only_profiles = bool(value)
                else:
                    log("warning", f"initializationOptions: unknown key {key!r} ignored")
            except (TypeError, ValueError) as exc:
                log("warning", f"initializationOptions.{key}: {exc}; ignored")
        return out


@dataclass
class _Project:
    stamp: tuple[str, float] | None
    options: Options
    ruleset: RuleSet


@dataclass
class Session:
    """Options and rule sets per configuration file, reloaded when the file changes."""

    settings: ServerSettings = field(default_factory=ServerSettings)
    log: Log = field(default=lambda level, message: None)
    _projects: dict[str, _Project] = field(default_factory=dict)
    _reported: set[str] = field(default_factory=set)

    def looks_like_profile(self, text: str) -> bool:
        return not self.settings.only_profiles or not text.strip() or bool(_PROFILE_KEY.search(text))

    def project(self, path: Path) -> tuple[Options, RuleSet]:
        """The options and rules for a profile at ``path``: from the nearest config file upward, else defaults."""
        from ..config import Config, find_config, load_config
        from ..errors import PecosCheckError

        try:
            found = find_config(path.parent)
        except OSError:
            found = None
        stamp = None
        if found is not None:
            try:
                stamp = (str(found), found.stat().st_mtime)
            except OSError:
                found = None
        key = str(found) if found else ""
        cached = self._projects.get(key)
        if cached is not None and cached.stamp == stamp:
            return self._dated(cached.options), cached.ruleset
        try:
            cfg = load_config(found) if found else Config()
            options = Options.from_config(cfg, online=self.settings.online)
            ruleset = RuleSet.build(options)
        except PecosCheckError as exc:
            self._once("error", f"{exc}; checking with the default configuration until it is fixed")
            options = Options(online=self.settings.online)
            ruleset = RuleSet.build(options)
        self._projects[key] = _Project(stamp, options, ruleset)
        return self._dated(options), ruleset

    def _dated(self, options: Options) -> Options:
        return replace(options, as_of=self.settings.as_of or date.today())

    def _once(self, level: str, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self.log(level, message)

    def check(self, text: str, path: Path, online: dict[str, object] | None = None) -> list[Finding]:
        """The findings for ``text`` as the profile at ``path``; whatever fails is logged, never raised."""
        try:
            options, ruleset = self.project(path)
            result = check_text(text, path, options, ruleset, online=online)
        except Exception as exc:  # the server outlives any bug: report what the loader saw, log the rest
            self.log("error", mask_identifiers(f"checking {os.path.basename(path)} failed: {type(exc).__name__}: "
                                               f"{exc}\n{traceback.format_exc()}"))
            return _fallback(text, exc)
        for f in result.findings:
            if f.message.startswith(f"internal error in rule {f.rule}:"):
                self.log("error", mask_identifiers(f"{os.path.basename(path)}: {f.message}"))
        return result.findings


def _fallback(text: str, exc: Exception) -> list[Finding]:
    found: list[Finding] = []
    try:
        from ..loader import loads

        found = list(loads(text).findings)
    except Exception:  # noqa: S110 (the error is logged by the caller)
        pass
    found.append(Finding("PECOSCHECK", Severity.ERROR, f"pecoscheck could not check this profile "
                         f"({type(exc).__name__}); the editor's output log has the details", "", None, None,
                         "Please report this with the log; `pecoscheck validate` gives the same findings."))
    return found
