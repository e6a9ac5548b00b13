"""pecoscheck benchmarks, with peers side by side: cold start, throughput, memory and registry lookups.

Run from a checkout, after ``pip install -e '.[bench]'`` (the peers check-jsonschema and yamllint, and
pyinstrument for profiling; or ``pip install -e . -r benchmarks/requirements.txt``)::

    python benchmarks/run.py            # 10,000 profiles, full repetitions (about 12 minutes on 2 cores)
    python benchmarks/run.py --quick    # 1,000 profiles, fewer repetitions (about 2 minutes)

It generates seeded profiles from the examples (``benchmarks/genprofiles.py``), measures
each command in fresh processes several times (repetitions interleaved, so a busy machine
slows every contender alike), prints a table of medians and ratios with the targets, and
writes ``benchmarks/results.json`` (machine, versions, every run). Peers are
``check-jsonschema`` (validating against ``pecoscheck schema``) and ``yamllint``; a missing
peer is skipped. The throughput floor is ``benchmarks/floor.py``: one process that only
reads and parses the same files with PyYAML's C loader.

Sections: ``--only cold,throughput,memory,registry`` runs a subset.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import genprofiles  # noqa: E402

AS_OF = genprofiles.AS_OF.isoformat()
ONE_PROFILE = ROOT / "examples" / "solo-practitioner" / "profile.yaml"
ONE_NPI = "1234567893"
SECTIONS = ("cold", "throughput", "memory", "registry")


# --- measuring -----------------------------------------------------------------------------------------------


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


def measure(series: list[Series], reps: int, *, cwd: Path | None = None, env: dict[str, str] | None = None,
            warmup: bool = True, sample: bool = False, quiet_wait: float = 0.0, label: str = "") -> None:
    """Run every series ``reps`` times, interleaved (round r of every series, then round r + 1)."""
    if warmup:
        for s in series:
            run_once(s.cmd, cwd=cwd, env=env)
    for r in range(reps):
        busy = wait_quiet(quiet_wait) if quiet_wait else None
        for s in series:
            s.runs.append(run_once(s.cmd, cwd=cwd, env=env, sample=sample, busy=busy))
        if label:
            done = ", ".join(f"{s.name} {s.runs[-1].wall_ms / 1000:.2f}s" for s in series)
            print(f"  {label} round {r + 1}/{reps}: {done}", file=sys.stderr, flush=True)


# --- the environment -----------------------------------------------------------------------------------------


def tool(name: str) -> str | None:
    """A console script from this interpreter's environment, else from PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return shutil.which(name)


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip() or None
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], cwd=ROOT,
                                    capture_output=True, text=True, check=False).stdout.strip())
    except OSError:
        commit, dirty = None, False
    import yaml

    from pecoscheck.engine import Options, RuleSet

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "git_commit": commit,
        "src_modified": dirty,
        "rules": len(RuleSet.build(Options()).rules),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "versions": {d: _version(d) for d in ("pecoscheck", "pyyaml", "pydantic", "typer", "httpx", "rich",
                                              "check-jsonschema", "yamllint", "jsonschema")},
    }


# --- the sections --------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    value: float | None
    limit: float | None
    unit: str
    met: bool | None
    note: str = ""


@dataclass
class Bench:
    args: argparse.Namespace
    work: Path
    results: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    pecoscheck: str = ""
    schema: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def target(self, name: str, value: float | None, limit: float | None, unit: str = "ms",
               smaller: bool = True, note: str = "") -> None:
        met = None if value is None or limit is None else (value <= limit if smaller else value >= limit)
        self.targets.append(Target(name, value, limit, unit, met, note))


def export_schema(b: Bench) -> Path | None:
    path = b.work / "profile.schema.json"
    done = subprocess.run([b.pecoscheck, "schema", "-o", str(path)], capture_output=True, text=True, check=False,
                          env=b.env)
    if done.returncode != 0:
        print(f"pecoscheck schema failed: {done.stderr.strip()}", file=sys.stderr)
        return None
    return path


def cold_start(b: Bench) -> None:
    py = sys.executable
    one = b.work / "one.yaml"
    shutil.copy(ONE_PROFILE, one)
    (b.work / "docs").exists() or shutil.copytree(ONE_PROFILE.parent / "docs", b.work / "docs")
    series = [
        Series("python -c pass", [py, "-c", "pass"]),
        Series('python -c "import yaml"', [py, "-c", "import yaml"]),
        Series("pecoscheck --version", [b.pecoscheck, "--version"]),
        Series(f"pecoscheck npi check {ONE_NPI}", [b.pecoscheck, "npi", "check", ONE_NPI]),
        Series("pecoscheck validate one.yaml", [b.pecoscheck, "validate", "one.yaml", "--as-of", AS_OF]),
        Series("pecoscheck validate one.yaml -f json", [b.pecoscheck, "validate", "one.yaml", "--as-of", AS_OF,
                                                         "-f", "json"]),
    ]
    cjs, yl = tool("check-jsonschema"), tool("yamllint")
    if cjs and b.schema:
        series.append(Series("check-jsonschema --schemafile S one.yaml",
                             [cjs, "--schemafile", str(b.schema), "one.yaml"]))
    if yl:
        series.append(Series("yamllint one.yaml", [yl, "one.yaml"]))
    print(f"cold start: {len(series)} commands x {b.args.cold_reps}", file=sys.stderr, flush=True)
    measure(series, b.args.cold_reps, cwd=b.work, env=b.env, quiet_wait=b.args.quiet_wait / 4)
    by = {s.name: s for s in series}
    yaml_ms = by['python -c "import yaml"'].median_ms
    cjs_ms = by["check-jsonschema --schemafile S one.yaml"].median_ms if cjs and b.schema else None
    b.results["cold_start"] = {s.name: s.to_dict() for s in series}
    limit = 1.5 * yaml_ms + 100
    b.target("--version <= 1.5 x (python -c 'import yaml') + 100 ms", by["pecoscheck --version"].median_ms, limit)
    b.target("npi check <= 1.5 x (python -c 'import yaml') + 100 ms",
             by[f"pecoscheck npi check {ONE_NPI}"].median_ms, limit)
    b.target("validate one profile < check-jsonschema on it", by["pecoscheck validate one.yaml"].median_ms, cjs_ms)


def _files(dirs: list[Path]) -> list[str]:
    out = []
    for d in dirs:
        out += sorted(p.name for p in d.glob("*.yaml"))
    return out


def _validate_cmd(b: Bench, dirs: list[Path], jobs: int, report: Path) -> list[str]:
    return [b.pecoscheck, "validate", *[d.name for d in dirs], "--jobs", str(jobs), "--as-of", AS_OF,
            "--format", "json", "-o", str(report)]


def throughput(b: Bench, dest: Path) -> None:
    n, cores = b.args.n, os.cpu_count() or 1
    dirs = genprofiles.batches(dest, n, b.args.batch)
    report = b.work / "report.json"
    series = [
        Series("floor: C-loader parse loop", [sys.executable, str(HERE / "floor.py"), *[d.name for d in dirs]]),
        Series("pecoscheck validate --jobs 1", _validate_cmd(b, dirs, 1, report)),
        Series(f"pecoscheck validate --jobs {cores}", _validate_cmd(b, dirs, cores, report)),
    ]
    cjs = tool("check-jsonschema")
    if cjs and b.schema and not b.args.no_cjs_throughput:
        files = [f"{d.name}/{f}" for d in dirs for f in sorted(p.name for p in d.glob("*.yaml"))]
        series.append(Series("check-jsonschema (same files)", [cjs, "--schemafile", str(b.schema), *files]))
    print(f"throughput: {n:,} profiles, {len(series)} commands x {b.args.reps}", file=sys.stderr, flush=True)
    measure(series, b.args.reps, cwd=dest, env=b.env, warmup=False, sample=True, quiet_wait=b.args.quiet_wait,
            label="throughput")
    summary = json.loads(report.read_text("utf-8"))["summary"]
    if summary["profiles"] != n:
        raise SystemExit(f"pecoscheck checked {summary['profiles']} profiles, expected {n}")
    by = {s.name: s for s in series}
    floor = by["floor: C-loader parse loop"].median_ms
    cjs_ms = by["check-jsonschema (same files)"].median_ms if "check-jsonschema (same files)" in by else None
    b.results["throughput"] = {"profiles": n, "jobs_all": cores, "report_summary": summary,
                               "series": {s.name: s.to_dict() for s in series}}
    j1, jn = by["pecoscheck validate --jobs 1"], by[f"pecoscheck validate --jobs {cores}"]
    b.target(f"{n:,} profiles --jobs 1 <= 1.6 x floor", j1.median_ms, 1.6 * floor)
    b.target(f"{n:,} profiles --jobs {cores} <= 0.9 x floor", jn.median_ms, 0.9 * floor)
    b.target(f"{n:,} profiles --jobs 1 < check-jsonschema", j1.median_ms, cjs_ms)
    b.target(f"{n:,} profiles --jobs {cores} < check-jsonschema", jn.median_ms, cjs_ms)
    b.target(f"peak RSS, {n:,} profiles, --jobs 1 < 200 MB", j1.maxrss_mb, 200, "MB")
    if jn.tree_peak_mb is not None:
        b.target(f"peak RSS, {n:,} profiles, --jobs {cores} (all processes) < 200 MB", jn.tree_peak_mb, 200, "MB")


def memory(b: Bench, dest: Path) -> None:
    n = b.args.n
    sizes = sorted({max(b.args.batch, n // 5 // b.args.batch * b.args.batch),
                    max(b.args.batch, n // 2 // b.args.batch * b.args.batch), n})
    report = b.work / "report-mem.json"
    series = [Series(f"--jobs 1, {k:,} profiles", _validate_cmd(b, genprofiles.batches(dest, k, b.args.batch), 1,
                                                                  report)) for k in sizes]
    print(f"memory: {', '.join(f'{k:,}' for k in sizes)} profiles x {b.args.mem_reps}", file=sys.stderr, flush=True)
    measure(series, b.args.mem_reps, cwd=dest, env=b.env, warmup=False, quiet_wait=b.args.quiet_wait,
            label="memory")
    b.results["memory"] = {"sizes": sizes, "series": {s.name: s.to_dict() for s in series}}
    first, last = series[0], series[-1]
    growth = last.maxrss_mb / first.maxrss_mb - 1 if first.maxrss_mb else None
    b.results["memory"]["growth"] = growth
    b.results["memory"]["kb_per_profile"] = (last.maxrss_mb - first.maxrss_mb) * 1024 / (sizes[-1] - sizes[0]) \
        if len(sizes) > 1 else None
    b.target(f"peak RSS flat: {sizes[-1]:,} vs {sizes[0]:,} profiles, growth <= 15 %",
             None if growth is None else 100 * growth, 15, "%")


def _replay_server() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("replay_server", ROOT / "tests" / "replay_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["replay_server"] = module
    spec.loader.exec_module(module)
    return module


def registry(b: Bench) -> None:
    from pecoscheck.npi import is_valid
    from pecoscheck.online.cache import DiskCache
    from pecoscheck.online.nppes import Found, NppesClient

    rs = _replay_server()
    count, reps = b.args.lookups, b.args.registry_reps
    npis = list(rs.synthetic_npis(count))
    assert len(set(npis)) == count and all(is_valid(n) for n in npis)
    npi_file = b.work / "npis.txt"
    npi_file.write_text("\n".join(npis) + "\n", "utf-8")
    rows: dict[str, list[dict[str, float]]] = {}

    def timed(name: str, server: Any, fn: Callable[[], Any]) -> None:
        before = len(server.lookups())
        t0 = time.perf_counter()
        out = fn()
        ms = (time.perf_counter() - t0) * 1000
        requests = len(server.lookups()) - before
        if isinstance(out, list) and not all(isinstance(r, Found) for r in out):
            raise SystemExit(f"registry benchmark: {name}: not every NPI was found")
        if isinstance(out, int) and out != 0:
            raise SystemExit(f"registry benchmark: {name}: exit code {out}")
        rows.setdefault(name, []).append({"ms": ms, "requests": requests})
        print(f"  registry {name}: {ms / 1000:.2f}s, {requests} requests", file=sys.stderr, flush=True)

    print(f"registry: {count} lookups at {b.args.latency * 1000:.0f} ms latency x {reps}", file=sys.stderr, flush=True)
    with rs.ReplayServer() as server:
        server.switches.synthetic = True
        server.switches.latency = b.args.latency
        env = {**b.env, "PECOSCHECK_NPPES_URL": server.url}
        for r in range(reps):
            b.args.quiet_wait and wait_quiet(b.args.quiet_wait / 2)
            cache1, cache2 = b.work / f"cache-lib-{r}", b.work / f"cache-cli-{r}"
            with NppesClient(server.url, cache=False, max_in_flight=1) as c:
                timed("library, sequential (max_in_flight=1), no cache", server, lambda c=c: c.lookup_many(npis))
            with NppesClient(server.url, cache=DiskCache(cache1)) as c:
                timed("library, concurrent (default), cold cache", server, lambda c=c: c.lookup_many(npis))
            with NppesClient(server.url, cache=DiskCache(cache1)) as c:
                timed("library, warm cache", server, lambda c=c: c.lookup_many(npis))
            cli = [b.pecoscheck, "npi", "lookup", str(npi_file), "--format", "json"]
            env_cli = {**env, "PECOSCHECK_CACHE_DIR": str(cache2)}
            def lookup(cli: list[str] = cli, env_cli: dict[str, str] = env_cli) -> int:
                return subprocess.run(cli, env=env_cli, capture_output=True, check=False).returncode

            timed("CLI npi lookup, cold cache", server, lookup)
            timed("CLI npi lookup, warm cache", server, lookup)
    med = {k: statistics.median(x["ms"] for x in v) for k, v in rows.items()}
    reqs = {k: max(x["requests"] for x in v) for k, v in rows.items()}
    b.results["registry"] = {"lookups": count, "latency_s": b.args.latency,
                             "series": {k: {"median_ms": round(med[k], 1), "max_requests": reqs[k], "runs": v}
                                        for k, v in rows.items()}}
    seq = med["library, sequential (max_in_flight=1), no cache"]
    conc = med["library, concurrent (default), cold cache"]
    warm = med["library, warm cache"]
    b.target(f"{count} lookups, concurrent < 1/3 of sequential", conc, seq / 3)
    b.target("warm cache: no request (library and CLI)",
             reqs["library, warm cache"] + reqs["CLI npi lookup, warm cache"], 0, "requests")
    b.target("warm cache >= 20x faster than cold (library)", conc / warm if warm else None, 20, "x", smaller=False)
    cli_cold, cli_warm = med["CLI npi lookup, cold cache"], med["CLI npi lookup, warm cache"]
    b.target("warm cache >= 20x faster than cold (CLI, process start included)",
             cli_cold / cli_warm if cli_warm else None, 20, "x", smaller=False)


# --- the report ----------------------------------------------------------------------------------------------


def _fmt_ms(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def table(b: Bench, info: dict[str, Any]) -> str:
    out = [f"pecoscheck benchmarks: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
           f"{info['date']}, {info['rules']} rules, commit {info['git_commit']}"
           f"{' (src modified)' if info['src_modified'] else ''}"]
    cold = b.results.get("cold_start")
    if cold:
        yaml_ms = cold['python -c "import yaml"']["median_ms"]
        cjs = cold.get("check-jsonschema --schemafile S one.yaml", {}).get("median_ms")
        out += ["", f"1. Cold start (median of {b.args.cold_reps} runs)",
                f"   {'command':<46}{'median ms':>10}{'min ms':>9}{'x import yaml':>15}{'x check-jsonschema':>20}"]
        for name, s in cold.items():
            ratio_c = f"{s['median_ms'] / cjs:.2f}" if cjs else "-"
            out.append(f"   {name:<46}{_fmt_ms(s['median_ms']):>10}{_fmt_ms(s['min_ms']):>9}"
                       f"{s['median_ms'] / yaml_ms:>15.2f}{ratio_c:>20}")
    thr = b.results.get("throughput")
    if thr:
        series = thr["series"]
        floor = series["floor: C-loader parse loop"]["median_ms"]
        cjs = series.get("check-jsonschema (same files)", {}).get("median_ms")
        out += ["", f"2. Throughput: {thr['profiles']:,} profiles (median of {b.args.reps} runs)",
                f"   {'run':<36}{'wall s':>8}{'cpu s':>8}{'us/profile':>11}{'x floor':>9}{'x cjs':>8}"
                f"{'peak MB':>9}{'all procs PSS':>14}"]
        for name, s in series.items():
            tree = s["tree_peak_mb"]
            ratio_c = f"{s['median_ms'] / cjs:.2f}" if cjs else "-"
            out.append(f"   {name:<36}{s['median_ms'] / 1000:>8.2f}{s['cpu_median_ms'] / 1000:>8.2f}"
                       f"{s['median_ms'] * 1000 / thr['profiles']:>11.0f}{s['median_ms'] / floor:>9.2f}{ratio_c:>8}"
                       f"{s['maxrss_mb']:>9.0f}{'-' if tree is None else f'{tree:.0f}':>14}")
        rs = thr["report_summary"]
        out.append(f"   (pecoscheck: {rs['ready']:,} ready, {rs['not_ready']:,} not ready; {rs['error']:,} errors, "
                   f"{rs['warning']:,} warnings, {rs['info']:,} notes)")
    mem = b.results.get("memory")
    if mem:
        out += ["", "3. Memory: pecoscheck validate --jobs 1 as N grows",
                f"   {'run':<30}{'peak RSS MB':>12}{'wall s':>9}{'us/profile':>11}"]
        for (name, s), k in zip(mem["series"].items(), mem["sizes"], strict=True):
            out.append(f"   {name:<30}{s['maxrss_mb']:>12.1f}{s['median_ms'] / 1000:>9.2f}"
                       f"{s['median_ms'] * 1000 / k:>11.0f}")
        if mem.get("kb_per_profile") is not None:
            out.append(f"   (peak RSS grows {mem['kb_per_profile']:.1f} KB per profile)")
    reg = b.results.get("registry")
    if reg:
        out += ["", f"4. Registry: {reg['lookups']} distinct NPI lookups, {reg['latency_s'] * 1000:.0f} ms latency "
                    f"(loopback replay server; median of {b.args.registry_reps})",
                f"   {'run':<52}{'median ms':>10}{'requests':>10}"]
        for name, s in reg["series"].items():
            out.append(f"   {name:<52}{_fmt_ms(s['median_ms']):>10}{s['max_requests']:>10}")
    out += ["", "Targets"]
    if b.args.quick:
        out.append("   (--quick: the targets are set for 10,000 profiles and 200 lookups; with fewer, "
                   "the fixed start-up of each process weighs more)")
    for t in b.targets:
        mark = {True: "met ", False: "MISS", None: "n/a "}[t.met]
        value = "-" if t.value is None else (f"{t.value:,.1f}" if t.unit != "ms" else _fmt_ms(t.value))
        limit = "-" if t.limit is None else (f"{t.limit:,.1f}" if t.unit != "ms" else _fmt_ms(t.limit))
        rel = ">=" if "faster" in t.name and t.unit == "x" else "limit"
        out.append(f"   [{mark}] {t.name}: {value} {t.unit} ({rel} {limit})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 profiles and fewer repetitions")
    ap.add_argument("-n", type=int, help="profiles for the throughput run (default 10,000; quick 1,000)")
    ap.add_argument("--reps", type=int, help="repetitions of the throughput runs (default 3; quick 1)")
    ap.add_argument("--cold-reps", type=int, help="repetitions of each cold-start command (default 15; quick 5)")
    ap.add_argument("--mem-reps", type=int, help="repetitions of the memory runs (default 1)")
    ap.add_argument("--lookups", type=int, help="distinct NPIs for the registry runs (default 200; quick 100)")
    ap.add_argument("--registry-reps", type=int, help="repetitions of the registry runs (default 3; quick 1)")
    ap.add_argument("--latency", type=float, default=0.1, help="replay server latency in seconds (default 0.1)")
    ap.add_argument("--seed", type=int, default=genprofiles.DEFAULT_SEED)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run ({','.join(SECTIONS)})")
    ap.add_argument("--work", type=Path, help="folder for the generated profiles (default: a temporary folder)")
    ap.add_argument("--quiet-wait", type=float, default=30.0,
                    help="seconds to wait for other work to leave the CPUs idle before a round (0: never wait)")
    ap.add_argument("--no-cjs-throughput", action="store_true", help="skip check-jsonschema on the big run")
    ap.add_argument("-o", "--output", type=Path, default=HERE / "results.json")
    args = ap.parse_args(argv)
    quick = args.quick
    args.n = args.n or (1000 if quick else 10_000)
    args.batch = max(1, min(genprofiles.BATCH, args.n // 10))
    args.reps = args.reps or (1 if quick else 3)
    args.cold_reps = args.cold_reps or (5 if quick else 15)
    args.mem_reps = args.mem_reps or 1
    args.lookups = args.lookups or (100 if quick else 200)
    args.registry_reps = args.registry_reps or (1 if quick else 3)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    pecoscheck = tool("pecoscheck")
    if pecoscheck is None:
        ap.error("the pecoscheck command is not installed (pip install -e '.[bench]')")
    for peer in ("check-jsonschema", "yamllint"):
        if tool(peer) is None:
            print(f"note: {peer} is not installed; its comparisons are skipped (pip install -r "
                  "benchmarks/requirements.txt)", file=sys.stderr)
    tmp = tempfile.TemporaryDirectory(prefix="pecoscheck-bench-") if args.work is None else None
    work = Path(tmp.name) if tmp else args.work
    work.mkdir(parents=True, exist_ok=True)
    # Every command runs with a bytecode cache, as an installed tool does (pip compiles at install time):
    # PYTHONDONTWRITEBYTECODE, if set, would make an editable pecoscheck recompile its sources on every run.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    b = Bench(args, work, pecoscheck=pecoscheck, env=env)
    try:
        b.schema = export_schema(b)
        for cmd in ([pecoscheck, "validate", str(ONE_PROFILE), "--as-of", AS_OF, "-f", "json"],
                    [pecoscheck, "validate", str(ONE_PROFILE), "--as-of", AS_OF]):  # fill the bytecode cache
            subprocess.run(cmd, env=env, capture_output=True, check=False)
        info = machine()
        if "cold" in only:
            cold_start(b)
        dest = work / "profiles"
        if only & {"throughput", "memory"}:
            t0 = time.perf_counter()
            paths = genprofiles.generate(dest, args.n, args.seed, batch=args.batch)
            lines = [p.read_bytes().count(b"\n") for p in paths]
            b.results["profiles"] = {"count": len(paths), "seed": args.seed, "lines_min": min(lines),
                                     "lines_max": max(lines), "lines_mean": round(statistics.mean(lines), 1),
                                     "bytes": sum(p.stat().st_size for p in paths),
                                     "templates": len(genprofiles.templates())}
            print(f"generated {len(paths):,} profiles in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            subprocess.run([sys.executable, str(HERE / "floor.py"), str(dest)], stdout=subprocess.DEVNULL,
                           check=True)  # warm the page cache
        if "throughput" in only:
            throughput(b, dest)
        if "memory" in only:
            memory(b, dest)
        if "registry" in only:
            registry(b)
    finally:
        if tmp:
            tmp.cleanup()
    info["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    text = table(b, info)
    print(text)
    doc = {"machine": info, "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
           **b.results, "targets": [asdict(t) for t in b.targets], "table": text.splitlines()}
    args.output.write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
    print(f"\nwrote {args.output}", file=sys.stderr)
    return 0 if all(t.met is not False for t in b.targets) else 1


if __name__ == "__main__":
    sys.exit(main())
