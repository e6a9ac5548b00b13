"""Where the time goes per profile, in one process: the stages of ``check_file`` and every rule.

``python benchmarks/stages.py [DIR...] [--top 25] [--repeat 3]`` (default: 2,000 generated
profiles in a temporary folder). Prints microseconds per profile for reading, composing,
walking, the alias-size check, the model, the rule loop (and each rule, slowest first) and
the rest of ``check_loaded`` (suppressions, sorting), next to the C-loader parse floor.
Use it to see what a new rule costs: every rule runs on every profile it applies to.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genprofiles

from pecoscheck import loader
from pecoscheck.engine import Options, RuleSet, _findings, check_loaded, discover
from pecoscheck.rules.base import Context
from pecoscheck.validate import to_profile


def _timed(fn, items, repeat):  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for it in items:
            fn(it)
        best = min(best, time.perf_counter() - t)
    return best / max(1, len(items)) * 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("-n", type=int, default=2000, help="profiles to generate when no path is given")
    args = ap.parse_args(argv)
    tmp = None
    if not args.paths:
        tmp = tempfile.TemporaryDirectory(prefix="pecos-stages-")
        genprofiles.generate(Path(tmp.name), args.n)
        args.paths = [Path(tmp.name)]
    files = discover(args.paths)
    raws = [f.read_bytes() for f in files]
    texts = [r.decode("utf-8") for r in raws]
    opts = Options(as_of=genprofiles.AS_OF)
    rs = RuleSet.build(opts)
    rows: list[tuple[str, float]] = []

    def floor(p: Path) -> None:
        with open(p, "rb") as fh:
            yaml.load(fh, Loader=yaml.CSafeLoader)

    rows.append(("floor: open + yaml.load(CSafeLoader)", _timed(floor, files, args.repeat)))
    rows.append(("read bytes", _timed(Path.read_bytes, files, args.repeat)))
    rows.append(("yaml.compose (CSafeLoader)", _timed(lambda t: yaml.compose(t, Loader=loader._Loader), texts,
                                                       args.repeat)))
    roots = [yaml.compose(t, Loader=loader._Loader) for t in texts]
    rows.append(("loader._expanded_size", _timed(loader._expanded_size, roots, args.repeat)))
    rows.append(("loader walk", _timed(lambda r: loader._Walker().walk(r, ()), roots, args.repeat)))
    rows.append(("loader.load (all of it)", _timed(loader.load, files, args.repeat)))
    loaded = [loader.load(f) for f in files]
    rows.append(("model (to_profile)", _timed(lambda lo: to_profile(lo.data, lo.source), loaded, args.repeat)))
    pairs = list(zip(loaded, files, strict=True))
    rows.append(("check_loaded (model + rules + rest)",
                 _timed(lambda lp: check_loaded(lp[0], lp[1], opts, rs), pairs, args.repeat)))
    valid = []
    for lo, f in pairs:
        if lo.data is None:
            continue
        profile, _ = to_profile(lo.data, lo.source)
        if profile is not None:
            valid.append((profile, lo, f))

    def contexts() -> list[Context]:  # fresh ones: rules may keep per-profile results on the context
        return [Context(profile=p, source=lo.source, path=f, as_of=opts.as_of, settings=opts.settings,
                        raw=lo.data, text=lo.text) for p, lo, f in valid]

    per_rule: Counter[str] = Counter()
    for rule in rs.rules:
        best = float("inf")
        for _ in range(args.repeat):
            ctxs = contexts()
            t = time.perf_counter()
            for c in ctxs:
                if rule.applies(c):
                    for _ in _findings(rule, c, rs):
                        pass
            best = min(best, time.perf_counter() - t)
        per_rule[rule.id] = best / max(1, len(files)) * 1e6
    rows.append((f"rules ({len(rs.rules)}), sum of each alone", sum(per_rule.values())))
    width = max(len(r[0]) for r in rows)
    print(f"{len(files)} profiles; microseconds per profile (best of {args.repeat})")
    for name, us in rows:
        print(f"  {name:<{width}}  {us:8.1f}")
    print(f"slowest rules (of {len(rs.rules)}):")
    for rid, us in per_rule.most_common(args.top):
        print(f"  {rid:<8} {us:7.1f}  {rs.registry.rules[rid].origin}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
