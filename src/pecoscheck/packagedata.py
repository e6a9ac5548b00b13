"""Files shipped inside the package (``data/``, ``packs/``), found beside this module.

pecoscheck is installed as files (a wheel or a checkout), never run from a zip, so a path is all it
needs: ``importlib.resources`` costs about 3 ms of every run to import (with ``tempfile``,
``shutil``, ``bz2`` and ``lzma``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def data_path(*parts: str) -> str:
    """The path of ``data/<parts...>`` in the installed package."""
    return os.path.join(PACKAGE_DIR, "data", *parts)


def read_data(*parts: str, encoding: str = "utf-8") -> str:
    """The text of ``data/<parts...>``."""
    with open(data_path(*parts), encoding=encoding) as fh:
        return fh.read()


def table_rows(*parts: str) -> Iterator[list[str]]:
    """The rows of a shipped tab-separated table in ``data/``: the first cell and the rest of the line.

    Blank lines and ``#`` comment lines are skipped.
    """
    return rows_of(read_data(*parts))


def rows_of(text: str) -> Iterator[list[str]]:
    """The rows of a table's text, as :func:`table_rows` reads them."""
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t", 1)
