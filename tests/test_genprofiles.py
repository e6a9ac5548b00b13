"""The benchmark's generated repository is like a real one: each example's defects kept, no identifier shared."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from pecoscheck.engine import Options, run_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("genprofiles", ROOT / "benchmarks" / "genprofiles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["genprofiles"] = module
    spec.loader.exec_module(module)
    return module


def test_each_profile_keeps_its_examples_findings_and_holds_its_own_identifiers(
        gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = gen.generate(tmp_path / "repo", 240, batch=100)
    assert gen.check(paths, sample=80) == 0, capsys.readouterr().out
    run = run_paths([tmp_path / "repo"], Options(as_of=date(2026, 11, 26)), jobs=1)
    assert sum(1 for _ in run) == 240
    assert run.cross == []  # no NPI, license or PTAN in two generated profiles


def test_new_identifiers_keep_their_shape_and_are_never_given_twice(gen: ModuleType) -> None:
    import random

    rng, given = random.Random(1), set()
    numbers = [gen._new_id("CL-0874", rng, given) for _ in range(10_000)]
    assert len(set(numbers)) == 10_000 and all(n.startswith("CL-") for n in numbers)
    assert {len(n) for n in numbers[:9_000]} == {7}  # one more digit only once the 4-digit space runs out
    assert {n[:2] for n in (gen._new_id("270099", rng, given) for _ in range(50))} == {"27"}  # CCN state code
