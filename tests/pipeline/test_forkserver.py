"""The build's fork server preloads what the kernels import."""

from __future__ import annotations

from analysis.pipeline.forkserver import PRELOAD


def test_the_kernels_imports_come_before_the_worker_module() -> None:
    assert PRELOAD.index("analysis.pipeline.kernel_preload") < PRELOAD.index(
        "analysis.pipeline.workers"
    )


def test_a_stopped_server_is_started_anew_by_the_next_build() -> None:
    import os

    from analysis.pipeline.forkserver import context, stop

    context()
    stop()
    process = context().Process(target=os.getpid)  # a new server, started on demand
    process.start()
    process.join()
    assert process.exitcode == 0
