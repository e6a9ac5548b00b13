"""Installed entry points of a group, asking ``importlib.metadata`` only when some distribution declares one.

Importing ``importlib.metadata`` costs 15-45 ms (it loads the ``email`` package), a tenth of a
one-profile run. With no rule plugin installed, the usual case, :func:`declared` finds that out by
reading the ``entry_points.txt`` of each distribution folder on ``sys.path``; anything that scan
cannot see into (a zip or egg file on the path, a distribution finder other than the standard one)
counts as "maybe", and then ``importlib.metadata`` answers.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any


def declared(group: str) -> bool:
    """Whether any distribution on ``sys.path`` may declare an entry point in ``group``."""
    header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(group)}[ \t]*\][ \t]*$", re.M)
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return True
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            if os.path.isfile(folder):  # a zip or egg: only importlib.metadata reads into it
                return True
            continue
        except OSError:
            return True
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                    if header.search(fh.read()):
                        return True
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError:
                return True
    return False


def entry_points(group: str) -> Sequence[Any]:
    """``importlib.metadata.entry_points(group=group)``, without the import when none is declared."""
    if not declared(group):
        return ()
    from importlib.metadata import entry_points as found

    return tuple(found(group=group))
