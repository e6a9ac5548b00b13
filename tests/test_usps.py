"""The shipped USPS table equals what the `us` package knows, and the rules read it without importing `us`."""

from __future__ import annotations

import itertools
import string
import subprocess
import sys

import us

from pecoscheck.usps import usps_codes, usps_names


def test_table_equals_the_us_package() -> None:
    expected = {}
    for a, b in itertools.product(string.ascii_uppercase, repeat=2):
        found = us.states.lookup(a + b, field="abbr")
        if found is not None:
            expected[found.abbr] = found.name
    assert usps_names() == expected, "regenerate it: python scripts/make_usps_table.py"
    assert usps_codes() == {s.abbr for s in us.states.STATES_AND_TERRITORIES}
    assert {"CA", "DC", "PR", "GU", "VI", "AS", "MP"} <= usps_codes()


def test_a_ready_profile_is_checked_without_importing_us() -> None:
    from helpers import AS_OF, EXAMPLES

    profile = EXAMPLES / "group-practice" / "profile.yaml"
    code = ("import sys; from datetime import date; from pecoscheck import Options, check_file; "
            "r = check_file(sys.argv[1], Options(as_of=date.fromisoformat(sys.argv[2]))); "
            "assert r.ready, [f.rule for f in r.findings]; print('us' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(profile), AS_OF.isoformat()], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "False"
