"""Tell a profile from the other YAML a repository holds (CI workflows, docker-compose, mkdocs).

A folder walk checks every ``*.yaml``; a file whose top-level keys are all foreign to the profile
format is someone else's file and is skipped with a note. A file with no top-level key at all
(empty, a list, binary, broken) is not judged here: the loader reports what is wrong with it.
"""

from __future__ import annotations

import os
import re
import stat

PROFILE_KEYS = frozenset({
    "schema_version", "provider", "enrollment", "licenses", "practice_locations", "correspondence_address",
    "special_payments_address", "reassignments", "ownership", "officials", "identity_access", "surrogates",
    "documents", "bank_account", "adverse_actions", "changes",
})
_SNIFF_BYTES = 64 << 10
_TOP_KEY = re.compile(rb"^(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s#'\"\-?:{}\[\],&*!|>%@`][^:\n]*?))[ \t]*:(?:[ \t]|$)",
                      re.M)


def top_level_keys(head: bytes) -> set[str]:
    """The keys written at column 0 in the first bytes of a YAML file."""
    keys: set[str] = set()
    for m in _TOP_KEY.finditer(head):
        raw = next(g for g in m.groups() if g is not None)
        keys.add(raw.decode("utf-8", "replace").strip())
    return keys


def foreign_yaml(path: str) -> bool:
    """True when ``path`` (a regular file) has top-level keys and none of them belongs to a profile."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device is never opened here
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # no file object: half the cost
        try:
            head = os.read(fd, _SNIFF_BYTES)
        finally:
            os.close(fd)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in head:
        return False
    seen = False
    for m in _TOP_KEY.finditer(head):  # a profile's first key settles it: most files are read no further
        raw = next(g for g in m.groups() if g is not None)
        if raw.decode("utf-8", "replace").strip() in PROFILE_KEYS:
            return False
        seen = True
    return seen
