"""Where a build leaves cores idle: busy cores over time, and each kernel's exit.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/idle_cores.py [REPORT ...] [--jobs N]

Runs one traced build (cache off; ``benchmarks/tracing``) while it samples the machine's CPU
counters (``/proc/stat``, every 0.1 s; Linux only), and prints:

* the wall seconds and the *idle core-seconds* (cores x wall minus the CPU the machine used):
  on a quiet machine, what the build left unused;
* the busy cores in each half second (a tail at one core, a gap between two reports);
* for each kernel, the seconds between its last traced event and its worker's end (the
  kernel's exit, the worker writing the notebook); ``killed`` marks a kernel that never
  reached its own exit (jupyter_client terminated it).

The two kernel-side gaps this found (round 30): ipykernel's exit waiting on its stopped IOPub
thread until jupyter_client killed it (2-4 kernels a build, ~2.9 s each), and jupyter_client's
0.2 s wait for IOPub's silence before every report's first cell. Read idle core-seconds only
on a quiet machine: other work fills the cores a build leaves idle.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_S = 0.1


def _cpu_ticks() -> tuple[int, int]:
    """(all, idle) jiffies of the machine since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]  # idle + iowait


def sample_busy_cores(process: subprocess.Popen[bytes]) -> list[tuple[float, float]]:
    """(seconds since start, busy cores over the last sample) until ``process`` ends."""
    hertz = os.sysconf("SC_CLK_TCK")
    start = previous_time = time.monotonic()
    previous = _cpu_ticks()
    samples = []
    while process.poll() is None:
        time.sleep(SAMPLE_S)
        now, ticks = time.monotonic(), _cpu_ticks()
        busy = (ticks[0] - previous[0]) - (ticks[1] - previous[1])
        samples.append((now - start, busy / hertz / (now - previous_time)))
        previous, previous_time = ticks, now
    return samples


def kernel_exits(trace: Path) -> list[tuple[int, float, float, bool]]:
    """For each kernel: (pid, its last event, its worker's end, whether it reached its exit),
    in seconds since the trace's first event."""
    rows = [line.split("\t", 4) for line in trace.read_text(encoding="utf-8").splitlines()]
    start = float(rows[0][0])
    last: dict[int, float] = {}
    parent: dict[int, int] = {}
    exited: set[int] = set()
    worker_end: dict[int, float] = {}
    for when, pid, ppid, role, text in rows:
        seconds = float(when) - start
        if role == "kernel":
            last[int(pid)], parent[int(pid)] = seconds, int(ppid)
            exited.update([int(pid)] if text.startswith("os._exit") else [])
        elif role == "worker" and text == "execute.execute end":
            worker_end[int(pid)] = seconds
    return [
        (pid, last[pid], worker_end.get(parent[pid], float("nan")), pid in exited)
        for pid in sorted(last, key=last.__getitem__)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="*")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace.tsv"
        env = dict(
            os.environ,
            TARIFF_REPORTS_CACHE="off",
            TARIFF_TRACE_FILE=str(trace),
            PYTHONPATH=os.pathsep.join([str(ROOT / "benchmarks" / "tracing"), str(ROOT)]),
        )
        command = [sys.executable, "-m", "analysis", "build", *args.reports]
        command += ["--jobs", str(args.jobs), "--out", str(Path(tmp) / "out")]
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        samples = sample_busy_cores(process)
        wall = time.monotonic() - started
        if process.returncode != 0:
            sys.exit(f"the build failed (exit {process.returncode})")
        cores = os.cpu_count() or 1
        idle = sum((cores - busy) * SAMPLE_S for _, busy in samples)
        print(f"wall {wall:.2f} s on {cores} cores; idle core-seconds {idle:.2f}")
        halves: dict[int, list[float]] = defaultdict(list)
        for seconds, busy in samples:
            halves[int(seconds * 2)].append(busy)
        print("busy cores by half second:")
        print(" ".join(f"{k / 2:.1f}:{sum(v) / len(v):.1f}" for k, v in sorted(halves.items())))
        print("kernel   last event   worker end   gap (s)")
        for pid, last, end, exited in kernel_exits(trace):
            note = "" if exited else "  killed"
            print(f"{pid:>7} {last:11.2f} {end:12.2f} {end - last:9.2f}{note}")


if __name__ == "__main__":
    main()
