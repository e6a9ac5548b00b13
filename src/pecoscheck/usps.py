"""USPS codes of the states, DC and the territories, from the shipped ``data/usps_states.txt``.

The table is derived from the ``us`` package by ``scripts/make_usps_table.py`` (``tests/test_usps.py``
keeps the two equal): importing ``us`` costs 15-45 ms a process, as it reads its installed metadata,
so the rules import it only to guess what a wrong state value meant.
"""

from __future__ import annotations

from functools import cache

from .packagedata import data_path

_TABLE = data_path("usps_states.txt")


@cache
def usps_names() -> dict[str, str]:
    """USPS code -> name, for the 50 states, DC and the territories."""
    with open(_TABLE, encoding="utf-8") as fh:
        rows = (line.rstrip("\n").split("\t", 1) for line in fh if line.strip() and not line.startswith("#"))
        return dict(rows)


@cache
def usps_codes() -> frozenset[str]:
    """The USPS codes of :func:`usps_names`."""
    return frozenset(usps_names())
