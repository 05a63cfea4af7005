"""CPU seconds of the report pieces round 29 changed, each in a fresh forked process, as a build.

Run from the repository root; for the code of another checkout set ``PYTHONPATH`` to it::

    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/report_pieces_cpu.py
    .venv/bin/python benchmarks/report_pieces_cpu.py

The processes share one build folder (``analysis.inputs.shared``) as a build's kernels do. First
a process computes the change days' rates by source (the partner reports' shared law,
``laws_by_day``: every build computes it once); then, each in a process of its own with the
inputs loaded before the clock starts: the timeline's table with the largest suppliers split
(``daily_authority_rates``), the Shapley attribution of the three scenario reports
(``attribute_layers``) and a timeline's merged events for the 13 partner reports and the
timeline (``merged_events``, 15 calls). On a shared machine read the CPU seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 11, 28)
PARTNERS = ("canada", "china", "eu", "ftrow", "japan", "mexico", "row", "uk")
COUNTRIES = ("CHE", "IND", "KOR", "TWN", "VNM")


def _inputs() -> Any:
    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs

    inputs = load_inputs()
    shared.register("benchmark", inputs.data, inputs.measures, inputs.lines)
    inputs.lines.get()
    inputs.lines.product_lists()
    return inputs


def _days(inputs: Any) -> Any:
    from analysis.report import views

    return views.regime_dates(inputs.measures.values(), FIRST, LAST, inputs.lines.product_lists())


def laws(inputs: Any) -> None:
    from analysis.questions.timeline import laws_by_day

    laws_by_day(inputs, _days(inputs))


def timeline(inputs: Any) -> None:
    from analysis.questions.country_rates import LARGEST_SUPPLIERS
    from analysis.questions.timeline import daily_authority_rates

    daily_authority_rates(inputs, FIRST, LAST, LARGEST_SUPPLIERS)


def attribution(inputs: Any) -> None:
    from analysis.inputs.focus import Focus
    from analysis.questions.attribution import attribute_layers
    from analysis.questions.simulate import simulate

    results = [simulate(inputs, s, "mfn_only", focus=Focus("japan")) for s in SCENARIOS]
    start = time.process_time()
    for result in results:
        attribute_layers(result)
    _CLOCK.append(time.process_time() - start)


SCENARIOS = ("deal_15", "escalation_35", "current")
_CLOCK: list[float] = []


def events(inputs: Any) -> None:
    from analysis.questions.timeline import events_reaching, laws_by_day, legal_events
    from analysis.report.timeline_figures import merged_events

    every = legal_events(inputs, FIRST, LAST)
    law = laws_by_day(inputs, _days(inputs)).values()
    chosen = [events_reaching(every, law, p) for p in (*PARTNERS, *COUNTRIES, "japan")]
    start = time.process_time()
    merged_events(every)
    for frame in chosen:
        merged_events(frame)
    _CLOCK.append(time.process_time() - start)


def _run(piece: Callable[[Any], None]) -> float:
    """``piece`` in a forked process, its CPU seconds (the inputs loaded before the clock)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        from analysis.policy.line_steps import shared_steps

        inputs = _inputs()
        start = time.process_time()
        with shared_steps():  # as a report's kernel does (pipeline.kernel_steps)
            piece(inputs)
        spent = _CLOCK[-1] if _CLOCK else time.process_time() - start
        os.write(write, f"{spent:.3f}".encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    return float(os.read(read, 100).decode() or "nan")


def main() -> None:
    from analysis.inputs import shared

    os.environ[shared.SHARED_ENV] = tempfile.mkdtemp(prefix="pieces-")
    print("load before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), file=sys.stderr)
    for name, piece in (
        ("laws_by_day (once a build)", laws),
        ("timeline daily_authority_rates", timeline),
        ("attribution x3 scenario reports", attribution),
        ("merged_events x15", events),
    ):
        print(f"{name:<34} CPU {_run(piece):6.2f} s", flush=True)
    print("load after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), file=sys.stderr)


if __name__ == "__main__":
    main()
