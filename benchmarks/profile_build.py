"""Where a build's time goes: the cold path of one report, phase by phase, and each report.

Run from the repository root (after ``make setup``)::

    .venv/bin/python benchmarks/profile_build.py [--repeats 3] [--jobs N] [--out FILE]

Part 1, the cold path of one report (``japan_deal_15``), each phase timed on its own, the
median of ``--repeats`` runs (each in a fresh process where a phase is a process start):

* ``builder imports``: what ``tariff-reports build`` imports before it runs (the command line,
  ``analysis.cli.app``, ``analysis.cli.main`` before round 28, and its parser of ``build``);
* ``validate runs``: reading and validating every input and the run spec (``resolve_runs``);
* ``snapshot + hash``: reading and hashing params, data and code (``InputsSnapshot.take``);
* ``fork server start + preload``: from starting the fork server to its first worker running
  (the imports of ``kernel_preload`` and ``workers``);
* ``kernel start, cold``: ``python -m ipykernel_launcher`` started and ready (jupyter_client),
  then ``kernel imports, cold``: the notebook's imports in that kernel;
* ``kernel start, warm``: a kernel forked from a pre-imported process (``warm_kernel``) ready,
  then ``kernel imports, warm``: the same imports there;
* ``notebook work``: the cells after the parameters cell (inputs, model, tables, charts);
* ``renderer warm-up``: nbconvert's exporter and the Vega bundle, first call in a process;
* ``render``: nbconvert to the offline page, warm; ``publish``: stamp, write, rename.

Each phase is also printed as a ratio to ``floor``: papermill executing an empty notebook
in-process, measured in the same run (the machine may be shared: ratios travel, seconds do not).
The spread (max - min) of the repeats shows how noisy the machine was.

Part 2 (``--per-report``): every report built once with the cache off, per report ``kernel``
(kernel start and papermill's own work), ``imports`` (cells before the parameters), ``model``
(cells after), ``render`` and ``publish``, and ``cpu``: the CPU seconds of the report's kernel
(user + system, as its worker reaped it), which a busy machine inflates far less than wall time;
the builder's own CPU seconds too.

Part 3 (``--trace``): the timeline of one report's build (``tariff-reports build japan_deal_15
--jobs 1``, the console script, cache off), ``--repeats`` times: when each phase starts and ends
in the builder, the fork server, the worker, the kernel (each notebook cell) and the
prefetcher, in seconds since the command started. The events are recorded from outside the
package (``benchmarks/tracing/sitecustomize.py``, first on ``PYTHONPATH`` for that command
only); ``--trace-only`` skips parts 1 and 2, ``--entry`` runs ``python -m analysis`` instead.

Both parts print the load average (``os.getloadavg``) before and after: on a shared machine,
read the ratios and the CPU seconds, not the wall seconds.

The text is also written to ``FILE`` (default ``benchmarks/output/profile.txt``). Inside the
notebook's own work, ``benchmarks/profile_cells.py REPORT [--cprofile N]`` times each cell (wall
and CPU) in one process, and profiles the functions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
ONE = "japan_deal_15"
NOTEBOOK_IMPORTS = (
    "import html, pandas as pd, altair as alt\n"
    "from IPython.display import HTML, display\n"
    "from analysis.inputs.bundle import load_inputs\n"
    "from analysis.questions.simulate import simulate\n"
    "from analysis.questions.attribution import attribute_layers\n"
    "from analysis.report import enable_offline_charts, figures, record_summary, views\n"
)
COLUMNS = ("kernel", "imports", "model", "render", "publish", "total", "cpu")


def python_seconds(code: str) -> float:
    """Seconds ``python -c code`` prints (its own measurement), in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


BUILDER_IMPORTS = """
import sys, time
sys.argv = ["-c"]
t = time.perf_counter()
try:
    from analysis.cli.app import build_parser
except ImportError:  # before round 28
    from analysis.cli.main import build_parser
build_parser().parse_args(["build", "japan_deal_15"])
print(time.perf_counter() - t)
"""
FORK_SERVER = """
import time, os
try:
    from analysis.pipeline.forkserver import context
except ImportError:  # before issue 21
    from analysis.pipeline.workers import _context as context
if __name__ == "__main__":
    t = time.perf_counter()
    ctx = context()
    p = ctx.Process(target=os.getpid)
    p.start(); p.join()
    print(time.perf_counter() - t)
"""


def fork_server_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "fork_server.py"
        script.write_text(FORK_SERVER)
        out = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, check=True, capture_output=True, text=True
        )
    return float(out.stdout.strip().splitlines()[-1])


def kernel_phases(warm: bool) -> tuple[float, float]:
    """(start-to-ready seconds, seconds of the notebook imports) of one kernel, forked from
    this process (``warm``: after ``kernel_preload``) or started by jupyter_client."""
    from analysis.pipeline.environment import kernel_env

    os.environ.update(kernel_env())
    if warm:
        from analysis.pipeline import kernel_preload, warm_kernel

        assert kernel_preload.PRELOADED
        warm_kernel.offer(warm_kernel.fork_spare())  # before the event loop exists
    return asyncio.run(_kernel_phases())


async def _kernel_phases() -> tuple[float, float]:
    from analysis.pipeline.execute import IPCKernelManager

    km = IPCKernelManager(kernel_name="python3")
    started = time.perf_counter()
    await km.start_kernel(cwd=str(ROOT / "notebooks"))
    client = km.client()
    client.start_channels()
    await client.wait_for_ready(timeout=120)
    ready = time.perf_counter() - started
    started = time.perf_counter()
    reply = await client.execute_interactive(NOTEBOOK_IMPORTS, timeout=120)
    imports = time.perf_counter() - started
    assert reply["content"]["status"] == "ok", reply["content"]
    client.stop_channels()
    await km.shutdown_kernel(now=True)
    return ready, imports


KERNEL = """
import sys
sys.path.insert(0, {bench!r})
from profile_build import kernel_phases
print(*kernel_phases({warm}))
"""


def kernel_seconds(warm: bool) -> tuple[float, float]:
    code = KERNEL.format(bench=str(ROOT / "benchmarks"), warm=warm)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    ready, imports = out.stdout.strip().splitlines()[-1].split()
    return float(ready), float(imports)


RENDERER = (
    "import time; t = time.perf_counter()\n"
    "from analysis.pipeline.render import exporter\n"
    "from analysis.pipeline.vega_bundle import vega_resources\n"
    "exporter(); vega_resources(); print(time.perf_counter() - t)"
)


def cell_split(nb: Any) -> tuple[float, float]:
    """Seconds in the cells before the parameters cell, and after it."""
    before = after = 0.0
    seen_parameters = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            seen_parameters = True
            continue
        duration = float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
        if seen_parameters:
            after += duration
        else:
            before += duration
    return before, after


def _wrap(store: dict[str, float], key_of: Callable[..., str], fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            key = key_of(*args, **kwargs)
            store[key] = store.get(key, 0.0) + time.perf_counter() - started

    return wrapper


def build_rows(runs: list[Any], jobs: int) -> tuple[list[dict[str, Any]], float]:
    """One build of ``runs`` (cache off) in this process, per report phases."""
    from analysis.pipeline import render
    from analysis.pipeline.build import build_reports
    from analysis.pipeline.layout import META_KEY

    renders: dict[str, float] = {}
    original = render.render_string
    render.render_string = _wrap(renders, lambda nb, title: title, original)
    with tempfile.TemporaryDirectory() as tmp:
        started, cpu = time.perf_counter(), time.process_time()
        results = build_reports(runs, Path(tmp) / "out", jobs=jobs)
        wall = time.perf_counter() - started
        BUILDER_CPU.append(time.process_time() - cpu)
        render.render_string = original
        rows = []
        for result in results:
            nb = nbformat.read(Path(tmp) / "out" / f"{result.run.name}.ipynb", as_version=4)
            meta = nb.metadata[META_KEY]
            executed = float(meta["seconds"])
            imports, model = cell_split(nb)
            rendered = renders.get(result.run.title, 0.0)
            rows.append(
                {
                    "report": result.run.name,
                    "kernel": executed - imports - model,
                    "imports": imports,
                    "model": model,
                    "render": rendered,
                    "publish": result.seconds - executed - rendered,
                    "total": result.seconds,
                    "cpu": float(meta.get("kernel_cpu_seconds") or "nan"),
                }
            )
    return rows, wall


BUILDER_CPU: list[float] = []


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def empty_floor() -> float:
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell("pass"))
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nb.metadata["kernelspec"]["language"] = "python"
        source = Path(tmp) / "empty.ipynb"
        nbformat.write(nb, source)
        return timed(
            lambda: papermill.execute_notebook(
                str(source), str(Path(tmp) / "out.ipynb"), progress_bar=False
            )
        )


def cold_path(repeats: int) -> list[tuple[str, list[float]]]:
    from analysis.cli.reports import resolve_runs
    from analysis.pipeline.snapshot import InputsSnapshot

    phases: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        phases.setdefault(name, []).append(value)

    empty_floor()  # warm the kernel spec and papermill's imports
    for _ in range(repeats):
        add("floor: papermill, empty notebook", empty_floor())
        add("builder imports", python_seconds(BUILDER_IMPORTS))
        add("validate runs", timed(lambda: resolve_runs([ONE])))
        add("snapshot + hash", timed(InputsSnapshot.take))
        add("fork server start + preload", fork_server_seconds())
        cold_ready, cold_imports = kernel_seconds(warm=False)
        add("kernel start, cold", cold_ready)
        add("kernel imports, cold", cold_imports)
        try:
            warm_ready, warm_imports = kernel_seconds(warm=True)
        except subprocess.CalledProcessError:  # before issue 21: no warm kernels
            pass
        else:
            add("kernel start, warm", warm_ready)
            add("kernel imports, warm", warm_imports)
        add("renderer warm-up", python_seconds(RENDERER))
        [row], wall = build_rows(resolve_runs([ONE]), 1)
        add("notebook work", row["model"])
        add("render", row["render"])
        add("publish", row["publish"])
        add("one report in-process (warm after 1st)", wall)
    return list(phases.items())


def cold_table(phases: list[tuple[str, list[float]]], repeats: int) -> str:
    floor = statistics.median(phases[0][1])
    lines = [
        f"cold path of one report ({ONE}), median of {repeats}; ratio to the floor",
        f"{'phase':<38}{'median s':>10}{'spread s':>10}{'x floor':>9}",
    ]
    for name, values in phases:
        median = statistics.median(values)
        spread = max(values) - min(values)
        lines.append(f"{name:<38}{median:10.2f}{spread:10.2f}{median / floor:9.2f}")
    return "\n".join(lines)


def per_report_table(rows: list[dict[str, Any]], wall: float, jobs: int) -> str:
    lines = [f"{'report':<22}" + "".join(f"{c:>9}" for c in COLUMNS)]
    for row in rows:
        lines.append(f"{row['report']:<22}" + "".join(f"{row[c]:9.2f}" for c in COLUMNS))
    sums = {c: sum(r[c] for r in rows) for c in COLUMNS}
    lines.append(f"{'sum':<22}" + "".join(f"{sums[c]:9.2f}" for c in COLUMNS))
    lines.append(f"wall time of the build ({len(rows)} reports, {jobs} workers): {wall:.2f} s")
    lines.append(f"CPU time of the builder process: {BUILDER_CPU[-1]:.2f} s")
    return "\n".join(lines)


TRACING = ROOT / "benchmarks" / "tracing"
ENTRIES = {
    "script": [str(Path(sys.executable).parent / "tariff-reports")],
    "module": [sys.executable, "-m", "analysis"],
}
#: Cells shorter than this are counted, not listed.
SHORT_CELL = 0.03


def trace_once(entry: str) -> tuple[list[tuple[float, int, str, str]], float]:
    """One traced build of ``ONE`` (cache off): its events, in seconds since the command
    started (time, pid, role, event), and the command's wall seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace.tsv"
        env = dict(os.environ, TARIFF_REPORTS_CACHE="off", TARIFF_TRACE_FILE=str(trace))
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(TRACING), os.environ.get("PYTHONPATH", "")) if p
        )
        command = [*ENTRIES[entry], "build", ONE, "--jobs", "1", "--out", str(Path(tmp) / "out")]
        started = time.time()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        wall = time.time() - started
        events = []
        for line in trace.read_text(encoding="utf-8").splitlines():
            when, pid, _ppid, role, text = line.split("\t", 4)
            if text.startswith("python start "):
                # The process's own start (from /proc), before the interpreter initialised.
                events.append((float(text.split()[2]) - started, int(pid), role, "process start"))
            events.append((float(when) - started, int(pid), role, text))
    events.sort()
    return events, wall


def _spans(
    events: list[tuple[float, int, str, str]],
) -> list[tuple[float, float | None, int, str, str]]:
    """Begin/end pairs as spans (begin, end, pid, role, label), instants with end None."""
    open_: dict[tuple[int, str], list[tuple[float, str]]] = {}
    spans: list[tuple[float, float | None, int, str, str]] = []
    for when, pid, role, text in events:
        if text.startswith("cell begin: ") or text.endswith(" begin"):
            label = text[len("cell begin: ") :] if text.startswith("cell ") else text[:-6]
            label = f"cell: {label}" if text.startswith("cell ") else label
            open_.setdefault((pid, label), []).append((when, role))
        elif text.startswith("cell end: ") or text.endswith(" end"):
            label = text[len("cell end: ") :] if text.startswith("cell ") else text[:-4]
            label = f"cell: {label}" if text.startswith("cell ") else label
            stack = open_.get((pid, label))
            if stack:
                begin, begin_role = stack.pop()
                spans.append((begin, when, pid, role if role else begin_role, label))
        elif not text.startswith(("python start", "site ready", "role ")):
            spans.append((when, None, pid, role, text))
    for (pid, label), stack in open_.items():
        for begin, role in stack:
            spans.append((begin, None, pid, role, f"{label} (no end)"))
    spans.sort(key=lambda s: (s[0], -(s[1] or s[0])))
    return spans


def timeline_table(events: list[tuple[float, int, str, str]], wall: float) -> str:
    """The events as a timeline: each span's start, end and length, by process."""
    roles: dict[int, str] = {}
    for _when, pid, role, _text in events:
        if not role.endswith("-child"):
            roles[pid] = role  # a process's last declared role names it
        else:
            roles.setdefault(pid, role)
    lines = [f"{'start':>7}{'end':>8}{'length':>8}  {'process':<18}event"]
    short = 0
    short_seconds = 0.0
    for begin, end, pid, _role, label in _spans(events):
        if label.startswith("cell: ") and end is not None and end - begin < SHORT_CELL:
            short, short_seconds = short + 1, short_seconds + end - begin
            continue
        who = f"{roles.get(pid, '?')} {pid}"
        if end is None:
            lines.append(f"{begin:7.2f}{'':8}{'':8}  {who:<18}{label}")
        else:
            lines.append(f"{begin:7.2f}{end:8.2f}{end - begin:8.2f}  {who:<18}{label}")
    lines.append(f"(and {short} cells shorter than {SHORT_CELL} s: {short_seconds:.2f} s in all)")
    lines.append(f"command wall time: {wall:.2f} s")
    return "\n".join(lines)


def trace(repeats: int, entry: str) -> str:
    """``repeats`` traced builds; the timeline of the median one, and every wall time."""
    runs = [trace_once(entry) for _ in range(repeats)]
    walls = [wall for _, wall in runs]
    events, wall = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
    command = " ".join([*ENTRIES[entry], "build", ONE, "--jobs 1"])
    head = (
        f"timeline of `{command}` (cache off), seconds since the command started; "
        f"the median of {repeats} (walls: {', '.join(f'{w:.2f}' for w in walls)})"
    )
    return f"{head}\n{timeline_table(events, wall)}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--per-report", action="store_true", help="also profile every report")
    parser.add_argument("--trace", action="store_true", help="also trace one report's build")
    parser.add_argument("--trace-only", action="store_true", help="only trace one build")
    parser.add_argument("--entry", choices=sorted(ENTRIES), default="script")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "output" / "profile.txt")
    args = parser.parse_args(argv)
    os.environ["TARIFF_REPORTS_CACHE"] = "off"  # every kernel runs: this profiles the work
    if args.trace_only:
        before = load()
        text = f"before: {before}\n{trace(args.repeats, args.entry)}\nafter: {load()}"
        print(text)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"written to {args.out}", file=sys.stderr)
        return
    before = load()
    text = cold_table(cold_path(args.repeats), args.repeats)
    text = f"before: {before}\n{text}\nafter: {load()}"
    print(text, flush=True)
    if args.per_report:
        from analysis.pipeline.runs import list_runs

        before = load()
        rows, wall = build_rows(list_runs(), args.jobs)
        part = f"before: {before}\n{per_report_table(rows, wall, args.jobs)}\nafter: {load()}"
        print(part)
        text += "\n\n" + part
    if args.trace:
        part = f"before: {load()}\n{trace(args.repeats, args.entry)}\nafter: {load()}"
        print(part)
        text += "\n\n" + part
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":  # the build's worker processes import this module again
    asyncio.set_event_loop_policy(None)
    main()
