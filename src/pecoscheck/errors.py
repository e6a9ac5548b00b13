"""Errors that stop a run (exit code 2). Problems in a profile are findings, never these.

    PecosCheckError
    ├── ConfigError        a config file or option is wrong
    ├── RulePackError      a YAML rule pack cannot be loaded
    └── PluginError        a rule plugin failed to load
"""

from __future__ import annotations


class PecosCheckError(Exception):
    """Base class of the errors that stop a run."""


class ConfigError(PecosCheckError):
    """A configuration file, option or selector is invalid."""


class RulePackError(PecosCheckError):
    """A YAML rule pack is broken; names the file and, when known, the line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.detail = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"rule pack {where}: {message}")


class PluginError(PecosCheckError):
    """A third-party rule plugin could not be loaded."""
