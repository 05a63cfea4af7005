"""CPU seconds of the partner report's law work, kernel by kernel, as in one build.

Each report runs in a fresh forked process, one after the other, sharing a build folder
(``analysis.inputs.shared``) as a build's kernels do: the days' schedules or rates by source,
its timeline by layer, its table by authority, its events, its open questions and products on
the last day. The first report computes the days' line stackings (the others read them).
``old`` runs the partner notebook's code of 872d070 (each change day's schedule of its split),
``new`` each change day's rates by source. Run from the repository root; for the code of
another checkout set ``PYTHONPATH`` to it::

    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/partner_law_cpu.py old canada KOR VNM
    .venv/bin/python benchmarks/partner_law_cpu.py new canada KOR VNM
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from typing import Any

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 11, 28)


def _old(inputs: Any, partner: str, days: list[dt.date], split: tuple[str, ...]) -> None:
    from analysis.policy.regimes import schedule_for_date
    from analysis.questions.timeline import daily_authority_rates, events_reaching, legal_events
    from analysis.report import views

    law = inputs.data, inputs.measures, inputs.lines
    schedules = {d.isoformat(): schedule_for_date(d, *law, split) for d in days}
    views.rate_timeline(schedules, partner)
    daily_authority_rates(inputs, FIRST, LAST, list(split), schedules)
    events_reaching(legal_events(inputs, FIRST, LAST), schedules.values(), partner)


def _new(inputs: Any, partner: str, region: str, split: tuple[str, ...]) -> None:
    from analysis.policy.regimes import schedule_for_date
    from analysis.questions import timeline as tl
    from analysis.report import views

    days = views.regime_dates(inputs.measures.values(), FIRST, LAST, inputs.lines.product_lists())
    laws = tl.laws_by_day(inputs, days)
    views.rate_timeline(laws, partner)
    schedule_for_date(LAST, inputs.data, inputs.measures, inputs.lines, split)
    line = partner if tl.split_countries(inputs, [partner]) else region
    tl.partner_authority_rates(inputs, FIRST, LAST, line, laws)
    tl.events_reaching(tl.legal_events(inputs, FIRST, LAST), laws.values(), partner)


def work(new: bool, partner: str) -> float:
    """The law work of ``partner``'s report, in CPU seconds (the inputs loaded before)."""
    from analysis.inputs import shared
    from analysis.inputs.bundle import load_inputs
    from analysis.policy.line_steps import shared_steps
    from analysis.questions.country_rates import country_products
    from analysis.questions.unsettled import unsettled_shares
    from analysis.report import views

    inputs = load_inputs()
    shared.register("benchmark", inputs.data, inputs.measures, inputs.lines)
    inputs.lines.get()
    split = (partner,) if partner.isupper() else ()
    region = inputs.countries.resolve(partner).region if split else partner
    start = time.process_time()
    with shared_steps():  # as a report's kernel does
        if new:
            _new(inputs, partner, region, split)
        else:
            lists = inputs.lines.product_lists()
            days = views.regime_dates(inputs.measures.values(), FIRST, LAST, lists)
            _old(inputs, partner, days, split)
        unsettled_shares(inputs, LAST, partner)
        country_products(inputs, LAST, partner)
    return time.process_time() - start


def main() -> None:
    mode, reports = sys.argv[1], sys.argv[2:]
    from analysis.inputs import shared

    os.environ[shared.SHARED_ENV] = tempfile.mkdtemp(prefix="partner-law-")
    for partner in reports:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, f"{work(mode == 'new', partner):.2f}".encode())
            os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        print(f"{partner:<8} law work CPU {os.read(read, 100).decode()} s", flush=True)


if __name__ == "__main__":
    main()
