"""Built-in rule families, one module each (``npi.py``, ``documents.py``, ...).

Importing this package imports every module in it, which registers its rules
with :func:`pecoscheck.rules.base.rule`.
"""

from __future__ import annotations

import importlib
import os

for _name in sorted(n[:-3] for n in os.listdir(__path__[0]) if n.endswith(".py") and not n.startswith("_")):
    importlib.import_module(f"{__name__}.{_name}")
