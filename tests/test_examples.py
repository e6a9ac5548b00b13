"""Every example is ready as of the README's date; every not-ready example is not."""

from __future__ import annotations

import pytest

from helpers import AS_OF, EXAMPLES, check

READY = sorted(p for p in EXAMPLES.glob("*/profile.yaml"))
NOT_READY = sorted((EXAMPLES / "not-ready").glob("*.yaml"))


def test_there_are_examples() -> None:
    assert len(READY) >= 9
    kinds = {p.parent.name for p in READY}
    assert {"ambulance-supplier", "order-refer-physician", "hospital-855a", "mdpp-supplier",
            "dmepos-supplier"} <= kinds
    assert len(NOT_READY) >= 8


@pytest.mark.parametrize("path", READY, ids=lambda p: p.parent.name)
def test_example_is_ready(path) -> None:
    result = check(path, AS_OF)
    assert [f for f in result.findings if f.severity.value == "error"] == []
    assert result.ready


@pytest.mark.parametrize("path", NOT_READY, ids=lambda p: p.stem)
def test_not_ready_example_has_errors_with_lines(path) -> None:
    result = check(path, AS_OF)
    assert not result.ready
    errors = [f for f in result.findings if f.severity.value == "error"]
    assert errors and all(f.line is not None for f in errors)
