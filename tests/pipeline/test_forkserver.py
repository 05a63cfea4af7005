"""The build's fork server preloads what the kernels import."""

from __future__ import annotations

from analysis.pipeline.forkserver import PRELOAD


def test_the_kernels_imports_come_before_the_worker_module() -> None:
    assert PRELOAD.index("analysis.pipeline.kernel_preload") < PRELOAD.index(
        "analysis.pipeline.workers"
    )
