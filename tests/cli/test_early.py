"""Only the command line of a local build starts the fork server early."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.cli.early import BUILDER_NICENESS, is_local_build


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/venv/bin/tariff-reports", "build"], True),
        (["/repo/analysis/__main__.py", "build", "japan_deal_15", "--jobs", "1"], True),
        (["/venv/bin/tariff-reports", "build", "--scheduler", "tcp://h:8786"], False),
        (["/venv/bin/tariff-reports", "build", "--scheduler=tcp://h:8786"], False),
        (["/venv/bin/tariff-reports", "build", "--help"], False),
        (["/venv/bin/tariff-reports", "list"], False),
        (["/venv/bin/pytest", "build"], False),
        (["-c"], False),
        ([], False),
    ],
)
def test_only_a_local_build_from_the_command_line(argv: list[str], expected: bool) -> None:
    assert is_local_build(argv) is expected


PRIORITIES = """
import os
from multiprocessing import forkserver

from analysis.cli.early import start_fork_server_if_building
from analysis.pipeline.forkserver import stop

before = os.getpriority(os.PRIO_PROCESS, 0)
assert start_fork_server_if_building(["/venv/bin/tariff-reports", "build"])
server = forkserver._forkserver._forkserver_pid
print(before, os.getpriority(os.PRIO_PROCESS, 0), os.getpriority(os.PRIO_PROCESS, server))
stop()
"""


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities (Windows)")
def test_the_builder_yields_the_cpu_to_the_processes_it_starts() -> None:
    """A local build's command line runs 10 below its fork server (which forks the workers,
    kernels and prefetcher): in a process of its own, not to lower this one's priority."""
    done = subprocess.run(
        [sys.executable, "-c", PRIORITIES], capture_output=True, text=True, check=True
    )
    before, builder, fork_server = map(int, done.stdout.split())
    assert fork_server == before
    assert builder == min(before + BUILDER_NICENESS, 19) and BUILDER_NICENESS == 10
