"""NPI arithmetic: format, first digit and the Luhn check digit with the 80840 prefix."""

from __future__ import annotations


def check_digit(base9: str) -> int:
    """The check digit for the first nine digits of an NPI (Luhn over ``80840`` + base)."""
    total = 0
    for i, ch in enumerate(reversed("80840" + base9)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def problem(npi: str) -> tuple[str, str] | None:
    """Why ``npi`` is not a well-formed NPI, as ``(rule id, reason)``; ``None`` when it is."""
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        digits = sum(ch.isdigit() for ch in npi)
        if digits == 10:
            return "NPI001", f"NPI `{npi}` contains characters other than digits"
        return "NPI001", f"NPI `{npi}` is not exactly 10 digits (it has {digits})"
    if npi[0] not in "12":
        return "NPI002", f"NPI {npi} starts with {npi[0]}; NPIs start with 1 or 2"
    expected = check_digit(npi[:9])
    if int(npi[9]) != expected:
        return "NPI003", f"NPI {npi} fails the check digit (expected {expected})"
    return None


def is_valid(npi: str) -> bool:
    """Whether ``npi`` is 10 digits, starts with 1 or 2 and has the right check digit."""
    return problem(npi) is None


def check_command(npis: list[str], fmt: str = "text") -> int:
    """``pecoscheck npi check``: print a verdict per NPI; exit code 0 when all are valid, else 1.

    What was typed is echoed masked (an SSN or EIN typed by mistake; a mistyped NPI stays visible) and, on
    the terminal, with its controls escaped.
    """
    import sys

    from .sinks import json_dumps, mask_identifiers, masked_terminal

    if fmt not in ("text", "json"):
        sys.stderr.write("pecoscheck: --format must be text or json\n")
        return 2
    results = [(n, problem(n)) for n in npis]
    if fmt == "json":
        rows = [{"npi": mask_identifiers(n), "valid": p is None, "rule": p[0] if p else None,
                 "reason": mask_identifiers(p[1]) if p else None} for n, p in results]
        sys.stdout.write(json_dumps(rows) + "\n")
    else:
        for n, p in results:
            shown = masked_terminal(n)
            sys.stdout.write(f"{shown}  valid\n" if p is None
                             else f"{shown}  INVALID  {masked_terminal(p[1])} [{p[0]}]\n")
    return 0 if all(p is None for _, p in results) else 1
