"""Measuring commands in fresh processes: wall and CPU time, peak memory, repetitions interleaved."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent



@dataclass
class Run:
    """One process run: wall and CPU time (the process and its children), peak memory, exit code."""

    wall_ms: float
    cpu_ms: float
    maxrss_mb: float  # the largest single process of the run (os.wait4)
    tree_peak_mb: float | None  # the largest sampled PSS sum over the process tree (None when not sampled)
    rc: int
    busy: float | None = None  # share of the machine's CPU busy just before the run (other work)


@dataclass
class Series:
    name: str
    cmd: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(r.wall_ms for r in self.runs)

    @property
    def min_ms(self) -> float:
        return min(r.wall_ms for r in self.runs)

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(r.cpu_ms for r in self.runs)

    @property
    def maxrss_mb(self) -> float:
        return max(r.maxrss_mb for r in self.runs)

    @property
    def tree_peak_mb(self) -> float | None:
        peaks = [r.tree_peak_mb for r in self.runs if r.tree_peak_mb is not None]
        return max(peaks) if peaks else None

    def to_dict(self) -> dict[str, Any]:
        cmd = self.cmd if len(self.cmd) <= 24 else [*self.cmd[:12], f"... {len(self.cmd) - 12} more arguments"]
        return {"cmd": cmd, "median_ms": round(self.median_ms, 1), "min_ms": round(self.min_ms, 1),
                "cpu_median_ms": round(self.cpu_median_ms, 1), "maxrss_mb": round(self.maxrss_mb, 1),
                "tree_peak_mb": None if self.tree_peak_mb is None else round(self.tree_peak_mb, 1),
                "runs": [asdict(r) for r in self.runs]}


def _cpu_times() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        parts = [float(x) for x in fh.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0.0)
    return sum(parts), idle


def busy_share(seconds: float = 0.3) -> float | None:
    """The share of all CPUs busy over ``seconds`` (Linux), or None."""
    try:
        t0, i0 = _cpu_times()
        time.sleep(seconds)
        t1, i1 = _cpu_times()
    except OSError:
        return None
    return 0.0 if t1 == t0 else 1.0 - (i1 - i0) / (t1 - t0)


def wait_quiet(max_wait: float, threshold: float = 0.3) -> float | None:
    """Wait (up to ``max_wait`` s) until other work leaves the CPUs mostly idle; return the last busy share."""
    deadline = time.monotonic() + max_wait
    busy = busy_share()
    while busy is not None and busy > threshold and time.monotonic() < deadline:
        time.sleep(1.0)
        busy = busy_share()
    return busy


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size (shared pages split between the processes sharing them), else RSS."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name) as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_pss_mb(pid: int) -> float:
    """The memory of ``pid``'s descendants (not ``pid`` itself: the launcher), summed as PSS."""
    total, todo, seen = 0, _children(pid), {pid}
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _pss_kb(p)
        todo += _children(p)
    return total / 1024


def run_once(cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
             sample: bool = False, busy: float | None = None) -> Run:
    """Run ``cmd`` once through ``_launch.py`` (output discarded): wall and CPU time, peak RSS, exit code.

    With ``sample``, the memory of the whole process tree (worker processes included) is sampled every
    100 ms as PSS, so pages that forked workers share with the main process are not counted twice (more
    often would take CPU from the run being measured).
    """
    peak = [0.0]
    stop = threading.Event()
    fd, out = tempfile.mkstemp(prefix="pecos-run-", suffix=".json")
    os.close(fd)
    try:
        proc = subprocess.Popen([sys.executable, str(HERE / "_launch.py"), out, "--", *cmd], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL)

        def sampler() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_pss_mb(proc.pid))
                stop.wait(0.1)

        thread = threading.Thread(target=sampler, daemon=True) if sample else None
        if thread:
            thread.start()
        rc = proc.wait()
        stop.set()
        if thread:
            thread.join()
        if rc != 0:
            raise RuntimeError(f"launcher failed for {cmd}")
        with open(out) as fh:
            got = json.load(fh)
    finally:
        os.unlink(out)
    return Run(wall_ms=got["wall_ms"], cpu_ms=got["cpu_ms"], maxrss_mb=got["maxrss_kb"] / 1024,
               tree_peak_mb=peak[0] if sample else None, rc=got["rc"], busy=busy)


def warm_tree(*roots: Path) -> None:
    """Bring every folder, inode and YAML file under ``roots`` into the kernel's caches (untimed).

    Some VMs reclaim idle page cache within seconds (the benchmark's quiet wait is such a time), so the
    first command after the wait would read the tree from disk and the next ones not. Warming the tree
    before every timed command gives each the same start, as on a machine that keeps its cache.
    """
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                os.stat(path)
                if name.endswith((".yaml", ".yml")):
                    with open(path, "rb") as fh:
                        fh.read()


def measure(series: list[Series], reps: int, *, cwd: Path | None = None, env: dict[str, str] | None = None,
            warmup: bool = True, sample: bool = False, quiet_wait: float = 0.0, label: str = "",
            prepare: Any = None) -> None:
    """Run every series ``reps`` times, interleaved (round r of every series, then round r + 1).

    ``prepare`` (e.g. :func:`warm_tree`) runs before every timed command, untimed.
    """
    if warmup:
        for s in series:
            run_once(s.cmd, cwd=cwd, env=env)
    for r in range(reps):
        busy = wait_quiet(quiet_wait) if quiet_wait else None
        for s in series:
            if prepare is not None:
                prepare()
            s.runs.append(run_once(s.cmd, cwd=cwd, env=env, sample=sample, busy=busy))
        if label:
            done = ", ".join(f"{s.name} {s.runs[-1].wall_ms / 1000:.2f}s" for s in series)
            print(f"  {label} round {r + 1}/{reps}: {done}", file=sys.stderr, flush=True)
