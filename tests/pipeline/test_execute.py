"""Notebook execution: a hung cell times out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analysis.pipeline.build import build_reports
from analysis.pipeline.runs import load_run


@pytest.mark.slow
def test_a_hung_cell_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    # No jupytext header / kernelspec on purpose: parameters must still be injected.
    (nb_dir / "slow.py").write_text(
        '# %% tags=["parameters"]\nsecs: float = 0.0\n\n# %%\nimport time\n\ntime.sleep(secs)\n'
    )
    spec_path = tmp_path / "slow.yaml"
    spec_path.write_text("title: Slow\nnotebook: slow\nparameters:\n  secs: 60\n")
    started = time.monotonic()
    [result] = build_reports([load_run(spec_path, nb_dir)], tmp_path / "out", cell_timeout=1)
    assert time.monotonic() - started < 30
    assert result.status == "failed" and (result.error or "").startswith("CellTimeoutError")
    assert "\n" not in (result.error or "")
    assert (tmp_path / "out" / "slow.failed.ipynb").exists()
