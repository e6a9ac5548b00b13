"""pecoscheck: readiness checks for Medicare (PECOS) provider enrollment profiles.

The library API behind the command line::

    from pecoscheck import Options, validate_paths
    report = validate_paths(["examples/"], Options())
    report.ready, report.summary

``run_paths`` checks profiles one at a time as its ``Run`` is read (nothing kept).

Names are imported lazily so that ``pecoscheck --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .engine import Options, check_file, check_text, run_paths, validate_paths
    from .findings import Finding, ProfileResult, Report, Run, Severity
    from .loader import load
    from .model import Profile
    from .rules.base import Context, Hit, Rule, rule

__all__ = [
    "Context", "Finding", "Hit", "Options", "Profile", "ProfileResult", "Report", "Rule", "Run", "Severity",
    "__version__", "check_file", "check_text", "load", "rule", "run_paths", "validate_paths",
]

_LAZY = {
    "Options": "engine", "check_file": "engine", "check_text": "engine", "run_paths": "engine",
    "validate_paths": "engine",
    "Finding": "findings", "ProfileResult": "findings", "Report": "findings", "Run": "findings",
    "Severity": "findings",
    "load": "loader", "Profile": "model",
    "Context": "rules.base", "Hit": "rules.base", "Rule": "rules.base", "rule": "rules.base",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'pecoscheck' has no attribute {name!r}")
