"""How live ``pecoscheck lsp`` feels: milliseconds from a didChange to its publishDiagnostics, over stdio.

``python benchmarks/lsp_bench.py [--changes 60] [--profile PATH]`` starts the server as an editor does,
opens a typical profile (the group-practice example, about 120 lines), then types: each change flips one
value back and forth (an NPI check digit), and the time until the diagnostics for that version arrive
is taken. Run with the server's default debounce (40 ms, part of the figure) and with none (the check
alone). Target: under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import LspClient  # noqa: E402


def _bench(profile: Path, changes: int, debounce_ms: int | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / profile.parent.name
        shutil.copytree(profile.parent, folder)
        (Path(tmp) / "pecoscheck.toml").write_text("", "utf-8")
        path = folder / profile.name
        text = path.read_text("utf-8")
        env = {**os.environ, "PECOSCHECK_CACHE_DIR": str(Path(tmp) / "cache")}
        client = LspClient(cwd=Path(tmp), env=env)
        t0 = time.perf_counter()
        client.initialize(Path(tmp), {} if debounce_ms is None else {"debounce_ms": debounce_ms})
        uri = client.open(path, text)
        client.diagnostics(uri, 1, timeout=60)
        first = (time.perf_counter() - t0) * 1000
        npi = next(ln for ln in text.splitlines() if ln.strip().startswith("npi:"))
        broken = text.replace(npi, npi[:-2] + ("0" if npi[-2] != "0" else "1") + npi[-1], 1)
        times = []
        for version in range(2, changes + 2):
            t = time.perf_counter()
            client.change(uri, version, broken if version % 2 else text)
            client.diagnostics(uri, version)
            times.append((time.perf_counter() - t) * 1000)
        client.close()
    times.sort()
    return {"first": first, "median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
            "max": times[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--profile", type=Path, default=ROOT / "examples" / "group-practice" / "profile.yaml")
    args = parser.parse_args()
    lines = len(args.profile.read_text("utf-8").splitlines())
    print(f"profile: {args.profile.relative_to(ROOT) if args.profile.is_relative_to(ROOT) else args.profile} "
          f"({lines} lines), {args.changes} changes")
    for label, debounce in (("default debounce (40 ms)", None), ("no debounce", 0)):
        r = _bench(args.profile, args.changes, debounce)
        print(f"{label:>26}: change -> diagnostics median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms, "
              f"max {r['max']:.0f} ms; start + open -> first diagnostics {r['first']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
