"""Publishing: failures are recorded when the disk allows, and never raise; sweeps are ours."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from analysis.atomic import temp_path
from analysis.pipeline import publish
from analysis.pipeline.publish import Temps, publish_failure, sweep_stale_temps
from analysis.pipeline.runs import ReportRun


def test_sweep_removes_only_stale_temporaries(tmp_path: Path) -> None:
    old = temp_path(tmp_path / "r.html")
    young = temp_path(tmp_path / "r.ipynb")
    keep = tmp_path / "r.html"
    keep.write_text("x")
    mine = tmp_path / ".r.html.tmp"  # a user's hidden file, as old as can be
    mine.write_text("mine")
    for path in (old, mine):
        os.utime(path, (time.time() - 2 * 86400,) * 2)
    sweep_stale_temps(tmp_path)
    assert not old.exists() and young.exists() and keep.exists() and mine.exists()


def test_a_failure_that_cannot_be_written_is_still_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "r.ipynb"))

    monkeypatch.setattr(publish, "_write_nb", full)
    run = ReportRun("r", tmp_path / "r.yaml", "R", "demo", tmp_path / "demo.py")
    temps = Temps.allocate(tmp_path, "r")
    result = publish_failure(run, temps, tmp_path, 1.0, "kernel died")
    temps.discard()
    assert result.status == "failed" and result.error is not None
    assert result.error.startswith("kernel died; its failure record could not be written")
    assert "No space left on device" in result.error and "\n" not in result.error
    assert list(tmp_path.iterdir()) == []
