"""Time ``pecoscheck changes`` (the history pass) on a repository of 1,000 profiles and 500 commits.

    python benchmarks/history_bench.py [--profiles 1000] [--commits 500]

Builds the repository in a temporary folder (dated commits), then times :func:`pecoscheck.history.analyze`
over all profiles: one ``git log`` and one ``git cat-file --batch`` for the whole repository.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "group-practice" / "profile.yaml"


def _git(repo: Path, *args: str, day: date) -> None:
    stamp = f"{day.isoformat()}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "b",
           "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def build(repo: Path, profiles: int, commits: int, seed: int = 18) -> None:
    rng = random.Random(seed)
    text = EXAMPLE.read_text("utf-8").replace("submitted_on: 2026-11-30", "submitted_on: 2025-01-15")
    _git(repo, "init", "-q", "-b", "main", day=date(2025, 1, 1))
    folder = repo / "profiles"
    folder.mkdir()
    for i in range(profiles):
        (folder / f"p{i:04d}.yaml").write_text(text.replace("Northstar Family Medicine", f"Northstar {i}"), "utf-8")
    _git(repo, "add", "-A", day=date(2025, 1, 15))
    _git(repo, "commit", "-q", "-m", "initial", day=date(2025, 1, 15))
    day = date(2025, 1, 16)
    for n in range(commits - 1):
        for i in rng.sample(range(profiles), 3):
            p = folder / f"p{i:04d}.yaml"
            body = p.read_text("utf-8")
            p.write_text(body.replace("percent: 40", f"percent: {40 + n % 5}", 1) if n % 2 else
                         body.replace("phone: ", f"phone: 1{n % 9}", 1), "utf-8")
        day += timedelta(days=1)
        _git(repo, "commit", "-q", "-a", "--allow-empty", "-m", f"edit {n}", day=day)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=500)
    args = parser.parse_args()
    from pecoscheck.history import analyze

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        t0 = time.perf_counter()
        build(repo, args.profiles, args.commits)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        run = analyze([repo / "profiles"], as_of=date(2026, 12, 1))
        took = time.perf_counter() - t0
        found = sum(len(p.changes) for p in run.profiles)
        print(f"built {args.profiles} profiles x {args.commits} commits in {built:.1f} s")
        print(f"history pass: {took:.2f} s for {len(run.profiles)} profiles, {found} changes "
              f"({took / len(run.profiles) * 1000:.2f} ms per profile)")


if __name__ == "__main__":
    main()
