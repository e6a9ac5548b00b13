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
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import genprofiles  # noqa: E402
from measure import Series, measure, run_once, wait_quiet, warm_tree  # noqa: E402

AS_OF = genprofiles.AS_OF.isoformat()
ONE_PROFILE = ROOT / "examples" / "solo-practitioner" / "profile.yaml"
ONE_NPI = "1234567893"
SECTIONS = ("cold", "throughput", "cache", "memory", "registry")


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
    one = b.work / "one.yaml"  # a profile in its own folder with its documents, as in a real repository
    shutil.copy(ONE_PROFILE, one)
    (b.work / "docs").exists() or shutil.copytree(ONE_PROFILE.parent / "docs", b.work / "docs")
    nc = "--no-cache"  # cold: nothing from the result cache
    series = [
        Series("python -c pass", [py, "-c", "pass"]),
        Series('python -c "import yaml"', [py, "-c", "import yaml"]),
        Series("pecoscheck --version", [b.pecoscheck, "--version"]),
        Series(f"pecoscheck npi check {ONE_NPI}", [b.pecoscheck, "npi", "check", ONE_NPI]),
        Series("pecoscheck validate one.yaml", [b.pecoscheck, "validate", "one.yaml", "--as-of", AS_OF, nc]),
        Series("pecoscheck validate one.yaml -f json", [b.pecoscheck, "validate", "one.yaml", "--as-of", AS_OF,
                                                         "-f", "json", nc]),
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
    b.target("npi check <= (python -c 'import yaml') + 100 ms", by[f"pecoscheck npi check {ONE_NPI}"].median_ms,
             yaml_ms + 100)
    b.target("validate one profile, cold <= 150 ms", by["pecoscheck validate one.yaml"].median_ms, 150)
    b.target("validate one profile < check-jsonschema on it", by["pecoscheck validate one.yaml"].median_ms, cjs_ms)
    # Issue 14 set 150 ms where check-jsonschema took ~320 ms on the same file: the same ratio on this machine.
    if cjs_ms:
        one_ms = by["pecoscheck validate one.yaml"].median_ms
        b.target("validate one profile <= 150/320 x check-jsonschema (the 150 ms target, scaled to this machine)",
                 one_ms, cjs_ms * 150 / 320, note=f"{one_ms / cjs_ms:.2f} x check-jsonschema")


def _files(dirs: list[Path]) -> list[str]:
    out = []
    for d in dirs:
        out += sorted(p.name for p in d.glob("*.yaml"))
    return out


def _validate_cmd(b: Bench, dirs: list[Path], jobs: int, report: Path, cache: bool = False) -> list[str]:
    return [b.pecoscheck, "validate", *[d.name for d in dirs], "--jobs", str(jobs), "--as-of", AS_OF,
            "--format", "json", "-o", str(report), *([] if cache else ["--no-cache"])]


def throughput(b: Bench, dest: Path, shared: Path | None = None) -> None:
    """The real layout (a folder per profile); with ``shared``, the old layout as a second case, same run."""
    n, cores = b.args.n, os.cpu_count() or 1
    dirs = genprofiles.batches(dest, n, b.args.batch)
    report = b.work / "report.json"
    series = [
        Series("floor: C-loader parse loop", [sys.executable, str(HERE / "floor.py"), *[d.name for d in dirs]]),
        Series("pecoscheck validate --jobs 1", _validate_cmd(b, dirs, 1, report)),
        Series(f"pecoscheck validate --jobs {cores}", _validate_cmd(b, dirs, cores, report)),
    ]
    if shared is not None:  # the same profiles, side by side in batch folders sharing docs/ (../shared/...)
        other = [f"../{shared.name}/{d.name}" for d in dirs]
        series += [
            Series("shared layout: floor", [sys.executable, str(HERE / "floor.py"), *other]),
            Series("shared layout: --jobs 1", [*_validate_cmd(b, [], 1, b.work / "report-shared.json"), *other]),
            Series(f"shared layout: --jobs {cores}", [*_validate_cmd(b, [], cores, b.work / "report-shared.json"),
                                                      *other]),
        ]
    cjs = tool("check-jsonschema")
    if cjs and b.schema and not b.args.no_cjs_throughput:
        files = [str(p.relative_to(dest)) for d in dirs for p in sorted(d.glob("**/*.yaml"))]
        series.append(Series("check-jsonschema (same files)", [cjs, "--schemafile", str(b.schema), *files]))
    print(f"throughput: {n:,} profiles, {len(series)} commands x {b.args.reps}", file=sys.stderr, flush=True)
    trees = [dest, *([shared] if shared is not None else [])]
    measure(series, b.args.reps, cwd=dest, env=b.env, warmup=False, sample=True, quiet_wait=b.args.quiet_wait,
            label="throughput", prepare=lambda: warm_tree(*trees))
    summary = json.loads(report.read_text("utf-8"))["summary"]
    if summary["profiles"] != n:
        raise SystemExit(f"pecoscheck checked {summary['profiles']} profiles, expected {n}")
    by = {s.name: s for s in series}
    floor = by["floor: C-loader parse loop"].median_ms
    cjs_ms = by["check-jsonschema (same files)"].median_ms if "check-jsonschema (same files)" in by else None
    b.results["throughput"] = {"profiles": n, "jobs_all": cores, "report_summary": summary,
                               "series": {s.name: s.to_dict() for s in series}}
    j1, jn = by["pecoscheck validate --jobs 1"], by[f"pecoscheck validate --jobs {cores}"]
    b.target(f"{n:,} profiles (real layout) --jobs 1 <= 1.6 x floor", j1.median_ms, 1.6 * floor,
             note=f"{j1.median_ms / floor:.2f} x")
    b.target(f"{n:,} profiles (real layout) --jobs {cores} <= 0.9 x floor", jn.median_ms, 0.9 * floor,
             note=f"{jn.median_ms / floor:.2f} x")
    if shared is not None:
        sf = by["shared layout: floor"].median_ms
        for name in ("shared layout: --jobs 1", f"shared layout: --jobs {cores}"):
            b.results["throughput"].setdefault("shared_ratios", {})[name] = round(by[name].median_ms / sf, 3)
    b.target(f"{n:,} profiles --jobs 1 < check-jsonschema", j1.median_ms, cjs_ms)
    b.target(f"{n:,} profiles --jobs {cores} < check-jsonschema", jn.median_ms, cjs_ms)
    b.target(f"peak RSS, {n:,} profiles, --jobs 1 < 200 MB", j1.maxrss_mb, 200, "MB")
    if jn.tree_peak_mb is not None:
        b.target(f"peak RSS, {n:,} profiles, --jobs {cores} (all processes) < 200 MB", jn.tree_peak_mb, 200, "MB")


def result_cache(b: Bench, dest: Path) -> None:
    """An unchanged repository checked again: a cold run (empty result cache) against the re-run that follows."""
    n = b.args.n
    dirs = genprofiles.batches(dest, n, b.args.batch)
    cold = Series("result cache: cold (empty cache)", _validate_cmd(b, dirs, 1, b.work / "report-cold.json", True))
    warm = Series("result cache: unchanged re-run", _validate_cmd(b, dirs, 1, b.work / "report-warm.json", True))
    folder = b.work / "result-cache"
    env = {**b.env, "PECOSCHECK_CACHE_DIR": str(folder)}
    print(f"result cache: {n:,} profiles x {b.args.reps}", file=sys.stderr, flush=True)
    for r in range(b.args.reps):
        b.args.quiet_wait and wait_quiet(b.args.quiet_wait)
        shutil.rmtree(folder, ignore_errors=True)
        warm_tree(dest)
        cold.runs.append(run_once(cold.cmd, cwd=dest, env=env))
        warm_tree(dest)
        warm.runs.append(run_once(warm.cmd, cwd=dest, env=env))
        print(f"  cache round {r + 1}/{b.args.reps}: cold {cold.runs[-1].wall_ms / 1000:.2f}s, "
              f"re-run {warm.runs[-1].wall_ms / 1000:.2f}s", file=sys.stderr, flush=True)
    same = (b.work / "report-cold.json").read_bytes() == (b.work / "report-warm.json").read_bytes()
    b.results["result_cache"] = {"profiles": n, "identical_reports": same,
                                 "series": {s.name: s.to_dict() for s in (cold, warm)}}
    b.target(f"{n:,} profiles, unchanged re-run <= 0.2 x cold", warm.median_ms, 0.2 * cold.median_ms,
             note=f"{warm.median_ms / cold.median_ms:.2f} x; reports identical: {same}")


def memory(b: Bench, dest: Path) -> None:
    n = b.args.n
    sizes = sorted({max(b.args.batch, n // 5 // b.args.batch * b.args.batch),
                    max(b.args.batch, n // 2 // b.args.batch * b.args.batch), n})
    report = b.work / "report-mem.json"
    series = [Series(f"--jobs 1, {k:,} profiles", _validate_cmd(b, genprofiles.batches(dest, k, b.args.batch), 1,
                                                                  report)) for k in sizes]
    print(f"memory: {', '.join(f'{k:,}' for k in sizes)} profiles x {b.args.mem_reps}", file=sys.stderr, flush=True)
    measure(series, b.args.mem_reps, cwd=dest, env=b.env, warmup=False, quiet_wait=b.args.quiet_wait,
            label="memory", prepare=lambda: warm_tree(dest))
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
        shared_floor = series.get("shared layout: floor", {}).get("median_ms", floor)
        for name, s in series.items():
            tree = s["tree_peak_mb"]
            ratio_c = f"{s['median_ms'] / cjs:.2f}" if cjs else "-"
            own = shared_floor if name.startswith("shared layout") else floor  # each layout against its own floor
            out.append(f"   {name:<36}{s['median_ms'] / 1000:>8.2f}{s['cpu_median_ms'] / 1000:>8.2f}"
                       f"{s['median_ms'] * 1000 / thr['profiles']:>11.0f}{s['median_ms'] / own:>9.2f}{ratio_c:>8}"
                       f"{s['maxrss_mb']:>9.0f}{'-' if tree is None else f'{tree:.0f}':>14}")
        rs = thr["report_summary"]
        out.append(f"   (pecoscheck: {rs['ready']:,} ready, {rs['not_ready']:,} not ready; {rs['error']:,} errors, "
                   f"{rs['warning']:,} warnings, {rs['info']:,} notes)")
    rc = b.results.get("result_cache")
    if rc:
        out += ["", f"2b. Result cache: {rc['profiles']:,} profiles, real layout, --jobs 1 (median of {b.args.reps})",
                f"   {'run':<36}{'wall s':>8}{'cpu s':>8}{'us/profile':>11}"]
        for name, s in rc["series"].items():
            out.append(f"   {name:<36}{s['median_ms'] / 1000:>8.2f}{s['cpu_median_ms'] / 1000:>8.2f}"
                       f"{s['median_ms'] * 1000 / rc['profiles']:>11.0f}")
        out.append(f"   (reports of the two runs byte-identical: {rc['identical_reports']})")
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
        out.append(f"   [{mark}] {t.name}: {value} {t.unit} ({rel} {limit}){f'; {t.note}' if t.note else ''}")
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
    ap.add_argument("--no-shared", action="store_true", help="skip the old shared-docs layout case")
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
    env["PECOSCHECK_CACHE_DIR"] = str(work / "cache")  # never the user's cache
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
        shared = work / "shared" if "throughput" in only and not args.no_shared else None
        if only & {"throughput", "memory", "cache"}:
            t0 = time.perf_counter()
            if shared is not None:
                genprofiles.generate(shared, args.n, args.seed, batch=args.batch, layout="shared")
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
            throughput(b, dest, shared)
        if "cache" in only:
            result_cache(b, dest)
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
