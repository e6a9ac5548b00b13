"""Run one command and report its wall time, CPU time and peak RSS as JSON (used by run.py).

``python benchmarks/_launch.py OUT -- CMD...``: this small process starts CMD, waits for it with
``os.wait4`` and writes ``{"wall_ms", "cpu_ms", "maxrss_kb", "rc"}`` to OUT. Measuring from a small
launcher matters: a child forked from a big process (the benchmark driver) is charged that process's
memory in ``ru_maxrss`` until it execs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, sep, *cmd = sys.argv[1:]
    assert sep == "--" and cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out, "w") as fh:
        json.dump({"wall_ms": wall, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
                   "maxrss_kb": usage.ru_maxrss, "rc": proc.returncode}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
