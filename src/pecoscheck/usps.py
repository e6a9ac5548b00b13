"""USPS codes of the states, DC and the territories, from the shipped ``data/usps_states.txt``.

The table is derived from the ``us`` package by ``scripts/make_usps_table.py`` (``tests/test_usps.py``
keeps the two equal): importing ``us`` costs 15-45 ms a process, as it reads its installed metadata,
so the rules import it only to guess what a wrong state value meant.
"""

from __future__ import annotations

from functools import cache

from .packagedata import table_rows


@cache
def usps_names() -> dict[str, str]:
    """USPS code -> name, for the 50 states, DC and the territories."""
    return dict(table_rows("usps_states.txt"))


@cache
def usps_codes() -> frozenset[str]:
    """The USPS codes of :func:`usps_names`."""
    return frozenset(usps_names())
