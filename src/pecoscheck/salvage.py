"""Running readiness rules on a profile whose only format errors are keys the format does not know.

A key that is not in the format and is not a misspelling of one (no "did you mean") carries nothing a
rule reads: with it left out, the profile is exactly what the rules would see once it is removed. So the
rules run on the rest and their findings are all kept. Any other format error changes what the rules
would see (a misspelt `licences` hides every license), so those profiles wait for the fix and the
report says how many checks are waiting.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from .loader import PathKey
from .model import Profile
from .suggest import closest
from .validate import _clean_loc, _model_at


def salvage(data: dict[str, Any]) -> tuple[Profile, dict[str, Any]] | None:
    """The profile without its unknown keys, or ``None`` when another format error is there too."""
    try:
        Profile.model_validate(data)
        return None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    locs: list[PathKey] = []
    for err in errors:
        loc = _clean_loc(err["loc"])
        if err["type"] != "extra_forbidden" or not loc or not isinstance(loc[-1], str) or _misspelt(loc):
            return None
        locs.append(loc)
    pruned = copy.deepcopy(data)
    for loc in locs:
        parent = _walk(pruned, loc[:-1])
        if isinstance(parent, dict):
            parent.pop(loc[-1], None)
    try:
        return Profile.model_validate(pruned), pruned
    except ValidationError:
        return None


def _misspelt(loc: PathKey) -> bool:
    model = _model_at(loc[:-1]) if loc[:-1] else Profile
    return model is None or closest(loc[-1], model.model_fields) is not None


def _walk(data: Any, key: PathKey) -> Any:
    for part in key:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
