"""Configuration: ``pecoscheck.toml``, ``.pecoscheck.toml`` or ``[tool.pecoscheck]`` in ``pyproject.toml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ConfigError
from .rules.base import Settings

CONFIG_NAMES = ("pecoscheck.toml", ".pecoscheck.toml", "pyproject.toml")
_THRESHOLDS = {
    "license_expiry_warning_days", "revalidation_warning_days", "document_expiry_warning_days",
    "surrogate_expiry_warning_days",
}
_KEYS = {"select", "ignore", "extend-select", "extend_select", "severity", "thresholds", "rule_paths",
         "rule-paths", "exclude", "strict", "paths", "history"}


class Config:
    """Options read from a config file; command-line options are applied on top.

    A plain class, not a dataclass: generating a dataclass's methods costs about 0.4 ms of every start.
    """

    def __init__(self, *, select: list[str] | None = None, ignore: list[str] | None = None,
                 extend_select: list[str] | None = None, severity: dict[str, str] | None = None,
                 settings: Settings | None = None, rule_paths: list[Path] | None = None,
                 exclude: list[str] | None = None, paths: list[Path] | None = None, strict: bool = False,
                 history: bool = False, file: Path | None = None) -> None:
        self.select = select if select is not None else []
        self.ignore = ignore if ignore is not None else []
        self.extend_select = extend_select if extend_select is not None else []
        self.severity = severity if severity is not None else {}
        self.settings = settings if settings is not None else Settings()
        self.rule_paths = rule_paths if rule_paths is not None else []
        self.exclude = exclude if exclude is not None else []
        self.paths = paths if paths is not None else []  # where profiles live, for a run that names none
        self.strict = strict
        self.history = history  # validate --history
        self.file = file


def find_config(start: Path) -> Path | None:
    """The nearest config file from ``start`` upward (a pyproject.toml counts only with [tool.pecoscheck])."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            import tomllib  # here: most runs find no config file, and the parser takes 5 ms to import

            try:
                if "pecoscheck" in tomllib.loads(candidate.read_text("utf-8")).get("tool", {}):
                    return candidate
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
    return None


def _anchor(pattern: str, folder: Path) -> str:
    """An ``exclude`` glob with a slash, made absolute below the config's folder (as .gitignore reads it)."""
    pat = pattern.strip()
    if "/" not in pat.rstrip("/"):
        return pat.strip("/")
    rel = pat.strip("/").removeprefix("./")
    import glob  # only for a config with such a pattern

    return glob.escape(str(folder.resolve())) + "/" + rel


def _str_list(table: dict[str, Any], key: str, file: Path) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{file}: `{key}` must be a list of strings")
    return [v.strip() for v in value]


def load_config(path: Path) -> Config:
    """Read one config file; any unknown key or bad value is a :class:`ConfigError`."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("pecoscheck", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.pecoscheck] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    cfg = Config(file=path)
    cfg.select = _str_list(table, "select", path)
    cfg.ignore = _str_list(table, "ignore", path)
    cfg.extend_select = _str_list(table, "extend-select", path) + _str_list(table, "extend_select", path)
    cfg.exclude = [_anchor(p, path.parent) for p in _str_list(table, "exclude", path) if p.strip("/ ")]
    cfg.paths = [(path.parent / p) for p in _str_list(table, "paths", path)]
    cfg.rule_paths = [(path.parent / p) for p in
                      _str_list(table, "rule_paths", path) + _str_list(table, "rule-paths", path)]
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{path}: `strict` must be true or false")
    cfg.strict = strict
    history = table.get("history", False)
    if not isinstance(history, bool):
        raise ConfigError(f"{path}: `history` must be true or false")
    cfg.history = history
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{path}: `severity` must be a table such as {{ DOC010 = \"warning\" }}")
    for rid, level in severity.items():
        if level not in ("error", "warning", "info", "off"):
            raise ConfigError(f"{path}: severity of {rid} must be error, warning, info or off, not {level!r}")
    cfg.severity = {str(k): str(v) for k, v in severity.items()}
    thresholds = table.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise ConfigError(f"{path}: `thresholds` must be a table")
    for key, value in thresholds.items():
        if key not in _THRESHOLDS:
            raise ConfigError(f"{path}: unknown threshold `{key}`; known: {', '.join(sorted(_THRESHOLDS))}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{path}: threshold `{key}` must be a whole number of days")
        setattr(cfg.settings, key, value)
    return cfg
