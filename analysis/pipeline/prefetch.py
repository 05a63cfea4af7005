"""Prefetch: what most reports of a build share, computed on a core that would otherwise idle.

Most reports quote the backcast (``questions.backcast``: the law of every day since December
2024 against the Treasury's receipts, ~2 s of CPU, and the law's line stacking on each day it
changed, which the partner reports read again). Each kernel computes it only when it reaches
the cell that quotes it, after loading the inputs and solving its own scenario; in a
one-report build the second core idles meanwhile. So the builder forks one more process from
its fork server (which has the package imported), with the kernels' environment, that loads
the inputs as a kernel does and computes the backcast's law years, oldest first, each stored
for the build (``inputs.shared``). The kernel that quotes the backcast computes them newest
first: it reads what the prefetcher stored, waits only for a year being computed (single
flight), and the two meet, each having computed about half.

Same numbers: the prefetcher stores under the key a kernel would, what the kernel's own call
would compute (the same function of a load of the same private copy, in a process forked from
the same one), so a report is the same bytes whoever computed it. Nothing depends on it: a
prefetcher that fails, is slow or is stopped when the last report ends costs only time (a
kernel computes what it has not read; a lock its death released is taken by the next one).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterable, Mapping
from multiprocessing.connection import Connection

from analysis.inputs.shared import SHARED_ENV

# The notebooks that quote the backcast: a build with none of them prefetches nothing.
BACKCAST_NOTEBOOKS = frozenset({"partner_report", "scenario_report", "validation"})


def wanted(
    notebooks: Iterable[str], env: Mapping[str, str], workers: int, cores: int | None
) -> bool:
    """Whether a build of reports of these ``notebooks``, whose kernels have ``env``, run by
    ``workers`` at a time on ``cores``, should prefetch: only with a core its workers leave
    idle (a one-report build on two cores), if its kernels share (a shared folder), and if one
    of them quotes the backcast. Not on a busy machine: the prefetcher computes the backcast
    in a process of its own, without the line data and laws a kernel has already read, ~6 s of
    CPU against ~3.6 s in a kernel (a full build, --jobs 2 on 2 cores, a loaded machine: 73.2 s
    of CPU with it, 59.8 and 64.3 s without, 63.0 and 63.8 s before this session)."""
    idle = cores is not None and workers < cores
    shares = os.path.isabs(env.get(SHARED_ENV, "").strip())
    return idle and shares and any(notebook in BACKCAST_NOTEBOOKS for notebook in notebooks)


def prefetch(env: Mapping[str, str]) -> None:
    """Load the build's inputs as a kernel with ``env`` would and compute the backcast's law
    years, oldest first (the kernel that quotes the backcast computes them newest first, reads
    what this process stored, and waits only for a year being computed: they meet)."""
    os.environ.clear()
    os.environ.update(env)
    from analysis.inputs.bundle import load_inputs
    from analysis.questions.backcast import prefetch_law_years

    prefetch_law_years(load_inputs())


def _exit_when_builder_dies(alive: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        while True:
            alive.recv()
    os._exit(0)


def prefetch_main(env: Mapping[str, str], alive: Connection) -> None:
    """The prefetching process: :func:`prefetch`, then exit; silent whatever happens (a
    failure costs only time), and gone as soon as the builder is (``alive`` ends)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_builder_dies, args=(alive,), daemon=True).start()
    with (
        contextlib.suppress(BaseException),
        open(os.devnull, "w") as quiet,
        contextlib.redirect_stderr(quiet),
    ):
        prefetch(env)
    os._exit(0)
