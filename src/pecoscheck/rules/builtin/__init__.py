"""Built-in rule families, one module each (``npi.py``, ``documents.py``, ...).

Importing this package imports every module in it, which registers its rules
with :func:`pecoscheck.rules.base.rule`.
"""

from __future__ import annotations

import importlib
import pkgutil

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
