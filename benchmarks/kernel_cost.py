"""What one report's kernel and worker cost on a trivial notebook, through the build's warm path.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/kernel_cost.py [--runs N] [--notebook NOTEBOOK.py]

This process plays the fork server: it imports what the build's fork server imports
(``forkserver.PRELOAD``), then, for each run, forks a *worker* that does what a build worker
does (``workers.worker_main``: fork the spare kernel, then ``execute.execute`` a notebook with
papermill through ``IPCKernelManager``). Printed per run and as medians: the worker's own CPU
(user, system) and minor page faults (papermill's client side), and the kernel's (its rusage as
the worker reaps it: fork, ipykernel start, messaging, output capture, shutdown). The default
notebook is one cell, ``pass``, with a parameters cell, as papermill would run any report.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRIVIAL = """# %% tags=["parameters"]
x = 1

# %%
pass
"""

FIELDS = ("utime", "stime", "minflt")


def _usage(who: int) -> dict[str, float]:
    u = resource.getrusage(who)
    return {"utime": u.ru_utime, "stime": u.ru_stime, "minflt": float(u.ru_minflt)}


def _worker(source: bytes, folder: Path, write_fd: int) -> None:
    from analysis.pipeline import execute, warm_kernel
    from analysis.pipeline.environment import kernel_env
    from analysis.pipeline.jobs import Job
    from analysis.pipeline.runs import ReportRun

    start = _usage(resource.RUSAGE_SELF)
    execute.fork_spare_kernel(())
    nb_path = folder / "trivial.py"
    nb_path.write_bytes(source)
    run = ReportRun(
        name="trivial",
        spec_path=nb_path,
        title="trivial",
        notebook="trivial",
        notebook_path=nb_path,
    )
    job = Job(
        run=run,
        notebook_source=source,
        executed_tmp=folder / "out.ipynb",
        summary_tmp=folder / "summary.json",
        env=kernel_env(),
        cell_timeout=None,
        handle_signals=False,
    )
    if os.environ.get("KERNEL_COST_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        outcome = profiler.runcall(execute.execute, job)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
    else:
        outcome = execute.execute(job)
    end = _usage(resource.RUSAGE_SELF)
    kernel = _usage(resource.RUSAGE_CHILDREN)
    record = {
        "error": outcome.error,
        "worker": {k: end[k] - start[k] for k in FIELDS},
        "kernel": kernel,
        "kernel_cpu_recorded": warm_kernel.CPU_SECONDS,
    }
    os.write(write_fd, json.dumps(record).encode())
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--notebook", type=Path, default=None)
    args = parser.parse_args()
    source = TRIVIAL.encode() if args.notebook is None else args.notebook.read_bytes()
    from analysis.pipeline import forkserver

    before = _usage(resource.RUSAGE_SELF)
    for name in forkserver.PRELOAD[1:]:
        importlib.import_module(name)
    after = _usage(resource.RUSAGE_SELF)
    print("fork server preload: " + ", ".join(f"{k} {after[k] - before[k]:.2f}" for k in FIELDS))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _worker(source, folder, write_fd)
            os.close(write_fd)
            chunks = []
            while chunk := os.read(read_fd, 1 << 16):
                chunks.append(chunk)
            os.close(read_fd)
            os.waitpid(pid, 0)
            record = json.loads(b"".join(chunks))
            rows.append(record)
            w, k = record["worker"], record["kernel"]
            print(
                f"run {i}: worker user {w['utime']:.3f} sys {w['stime']:.3f} "
                f"minflt {w['minflt']:.0f} | kernel user {k['utime']:.3f} sys {k['stime']:.3f} "
                f"minflt {k['minflt']:.0f}  error={record['error']}"
            )
    for who in ("worker", "kernel"):
        med = {k: statistics.median(r[who][k] for r in rows) for k in FIELDS}
        print(
            f"median {who}: user {med['utime']:.3f} s, sys {med['stime']:.3f} s, "
            f"CPU {med['utime'] + med['stime']:.3f} s, minflt {med['minflt']:.0f}"
        )


if __name__ == "__main__":
    main()
