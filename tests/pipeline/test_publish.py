"""Publishing: failures are recorded when the disk allows, and never raise; sweeps are ours."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import nbformat
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


def _executed_nb() -> Any:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "deferred"})]
    nb.cells.append(cell)
    return nb


def test_a_run_is_read_once_drawn_stored_then_stamped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import nbio
    from analysis.pipeline.jobs import Execution

    reads: list[Path] = []
    real_read = nbio.read_nb
    monkeypatch.setattr(nbio, "read_nb", lambda path: reads.append(Path(path)) or real_read(path))
    run = ReportRun("r", tmp_path / "r.yaml", "R", "demo", tmp_path / "demo.py")
    temps = Temps.allocate(tmp_path, "r")
    executed = _executed_nb()
    nbformat.write(executed, temps.executed)

    def draw(nb: Any) -> int:
        nb.cells[0].outputs[0].data["text/plain"] = "drawn\nby the builder"
        return 1

    stored: list[bytes] = []
    result = publish.finish(
        run,
        lambda: Execution("r", 1.0, None),
        temps,
        tmp_path,
        store=lambda: stored.append(temps.executed.read_bytes()),
        draw=draw,
    )
    temps.discard()
    assert result.status == "ok", result.error
    assert reads == [temps.executed]  # read once, by publishing
    # The cache keeps the drawn, unstamped notebook as nbformat writes it.
    drawn = executed
    draw(drawn)
    assert stored == [(nbformat.writes(drawn) + "\n").encode("utf-8")]
    published = (tmp_path / "r.ipynb").read_bytes()
    back = nbformat.reads(published.decode("utf-8"), as_version=4)
    assert published == (nbformat.writes(back) + "\n").encode("utf-8")
    assert back.cells[0].outputs[0].data["text/plain"] == "drawn\nby the builder"
    assert back.metadata["tariff_reports"]["status"] == "ok"
    assert [c.id for c in back.cells] == ["cell-0", "cell-1"]  # the stamp's section last
    assert back.cells[-1].source.startswith("## Reproducibility")
    assert "drawn" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_data_checksums_are_parsed_again_only_when_the_manifest_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.inputs import datasets
    from analysis.inputs.paths import DATA_ENV

    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("files:\n  a.csv: {sha256: '11'}\n")
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    monkeypatch.setattr(publish, "_CHECKSUMS", {})
    parsed: list[object] = []
    real = datasets.data_checksums
    monkeypatch.setattr(publish, "data_checksums", lambda: parsed.append(1) or real())
    assert publish._data_checksums() == {"a.csv": "11"}
    assert publish._data_checksums() == {"a.csv": "11"}
    assert len(parsed) == 1
    manifest.write_text("files:\n  a.csv: {sha256: '22'}\n")
    assert publish._data_checksums() == {"a.csv": "22"}
    assert len(parsed) == 2


def _table_nb() -> Any:
    import base64

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("## Rates by sector"))
    cell = nbformat.v4.new_code_cell("table")
    text = "sector,focus_exports_value_change_usd\nsteel,-25\nfish,-1\n"
    csv = base64.b64encode(text.encode()).decode()
    link = f'<a class="tr-csv" href="data:text/csv;base64,{csv}">Data (CSV)</a>'
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": link})]
    nb.cells.append(cell)
    return nb


def test_a_published_reports_data_folder_is_written_then_and_is_the_indexs(
    tmp_path: Path,
) -> None:
    """The data folder is written as the report is published (not at the end of the build,
    by the index), and holds the same bytes as one the index writes from the notebook."""
    import shutil

    from analysis.pipeline.index import write_index
    from analysis.pipeline.jobs import Execution

    spec = tmp_path / "r.yaml"
    spec.write_text("parameters:\n  partner: canada\n")
    out = tmp_path / "out"
    out.mkdir()
    run = ReportRun("r", spec, "The R report", "demo", tmp_path / "demo.py")
    temps = Temps.allocate(out, "r")
    nbformat.write(_table_nb(), temps.executed)
    result = publish.finish(run, lambda: Execution("r", 1.0, None), temps, out)
    temps.discard()
    assert result.status == "ok", result.error
    folder = out / "data" / "r"
    table = "sector,focus_exports_value_change_usd\nsteel,-25\nfish,-1\n"
    assert (folder / "table-01.csv").read_text() == table
    published = {p.name: p.read_bytes() for p in folder.iterdir()}
    # The spec's partner, as the index reads it, names the column in the data dictionary.
    assert "Canada's exports" in published["data_dictionary.csv"].decode()
    # The index finds the folder newer than the notebook: it leaves it as it is.
    write_index(out)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == published
    # An index that has to write the folder itself writes the same files.
    again = tmp_path / "again"
    again.mkdir()
    for name in ("r.ipynb", "r.html"):
        shutil.copy(out / name, again / name)
    write_index(again)
    assert {p.name: p.read_bytes() for p in (again / "data" / "r").iterdir()} == published
