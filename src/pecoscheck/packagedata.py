"""Files shipped inside the package (``data/``, ``packs/``), found beside this module.

pecoscheck is installed as files (a wheel or a checkout), never run from a zip, so a path is all it
needs: ``importlib.resources`` costs about 3 ms of every run to import (with ``tempfile``,
``shutil``, ``bz2`` and ``lzma``).
"""

from __future__ import annotations

import os

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def data_path(*parts: str) -> str:
    """The path of ``data/<parts...>`` in the installed package."""
    return os.path.join(PACKAGE_DIR, "data", *parts)


def read_data(*parts: str, encoding: str = "utf-8") -> str:
    """The text of ``data/<parts...>``."""
    with open(data_path(*parts), encoding=encoding) as fh:
        return fh.read()
