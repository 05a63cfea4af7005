"""Builds: good and failing runs, interrupts, concurrent builds, stale temporaries."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURE_NOTEBOOKS

from analysis.pipeline.build import RunResult, build_reports, sweep_stale_temps
from analysis.pipeline.index import index_rows, write_index
from analysis.pipeline.layout import META_KEY
from analysis.pipeline.runs import ReportRun, load_run
from analysis.pipeline.snapshot import MaterializedSnapshot

BUILD_SCRIPT = """\
import sys
from pathlib import Path
from analysis.cli import main
from analysis.pipeline.build import build_reports
from analysis.pipeline.runs import load_run

if __name__ == "__main__":  # the worker processes import this module again
    nb_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    runs = [load_run(Path(p), nb_dir) for p in sys.argv[3:]]
    results = build_reports(runs, out, jobs=1)
    sys.exit(0 if all(r.status == "ok" for r in results) else 1)
"""


def run_of(build_params: Path, name: str) -> ReportRun:
    return load_run(build_params / "reports" / f"{name}.yaml", FIXTURE_NOTEBOOKS)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the reports, the index and the data/ folder's CSVs)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def previous_good(out: Path, name: str) -> dict[str, bytes]:
    """Files a previous successful build of ``name`` left behind."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.html").write_text("<!DOCTYPE html><html><body>previous good</body></html>\n")
    meta = {"run": name, "title": name, "status": "ok", "built_at": "2026-01-01T00:00:00Z"}
    nbformat.write(nbformat.v4.new_notebook(metadata={META_KEY: meta}), out / f"{name}.ipynb")
    return snapshot(out)


class _Checker(HTMLParser):
    def error(self, message: str) -> None:  # pragma: no cover - py<3.10 hook
        raise AssertionError(message)


def assert_valid_report(out: Path, name: str, bundles: int = 1) -> None:
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    _Checker().feed(html)
    assert html.rstrip().endswith("</html>") and html.count("window.vegaEmbed=") == bundles
    nbformat.validate(nbformat.read(out / f"{name}.ipynb", as_version=4))


@pytest.mark.slow
def test_good_and_failing_runs_in_one_build(build_params: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = previous_good(out, "broken")
    seen: list[RunResult] = []
    results = build_reports(
        [run_of(build_params, "demo"), run_of(build_params, "broken")],
        out,
        jobs=2,
        progress=seen.append,
    )
    demo, broken = results
    assert (demo.status, broken.status) == ("ok", "failed")
    assert sorted(r.run.name for r in seen) == ["broken", "demo"]
    assert demo.html == out / "demo.html" and demo.error is None
    assert_valid_report(out, "demo")
    assert broken.html is None and "fixture failure: boom" in (broken.error or "")

    # The previous good report of the failing run is untouched, byte for byte.
    for name in ("broken.html", "broken.ipynb"):
        assert (out / name).read_bytes() == before[name]
    failed = nbformat.read(out / "broken.failed.ipynb", as_version=4)
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "RuntimeError"
    assert any("fixture failure" in line for line in errors[0].traceback)
    assert failed.metadata[META_KEY]["status"] == "failed"

    meta = nbformat.read(out / "demo.ipynb", as_version=4).metadata[META_KEY]
    assert meta["summary"] == {
        "text": "Demo for japan (demo): total 432.0",
        "numbers": {"total": 432.0, "n": 24},
    }
    assert meta["stamp"]["parameters_sha256"] and meta["title"].startswith("Demo <script>")

    index = (out / "index.html").read_text()
    assert "Demo &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in index
    assert "<script>" not in index
    assert "Demo for japan (demo): total 432.0" in index
    assert 'class="failed"' in index and "fixture failure: boom" in index
    assert hidden(out) == []


@pytest.mark.slow
def test_a_fixed_run_replaces_its_failure_record(build_params: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A run named "fixed" that failed last time...
    nb = nbformat.v4.new_notebook(
        metadata={META_KEY: {"run": "fixed", "title": "x", "built_at": "2000"}}
    )
    nbformat.write(nb, out / "fixed.failed.ipynb")
    [result] = build_reports([run_of(build_params, "fixed")], out, jobs=1)
    assert result.status == "ok"
    assert not (out / "fixed.failed.ipynb").exists()
    [row] = index_rows(out)
    assert (row.status, row.html, row.summary) == ("ok", "fixed.html", "")


@pytest.mark.slow
def test_interrupt_while_rendering_leaves_previous_files(
    build_params: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import render

    out = tmp_path / "out"
    before = previous_good(out, "demo")

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "render_string", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_reports([run_of(build_params, "demo")], out, jobs=1)
    after = snapshot(out)
    index = after.pop("index.html").decode()
    assert after == before  # nothing new, nothing changed, no temporaries
    assert 'href="demo.html"' in index  # the index is rewritten from what is on disk


def _waiting_build(
    build_params: Path, tmp_path: Path, out: Path
) -> tuple[subprocess.Popen[str], tuple[int, int]]:
    """``tariff-reports build waiting``, started and certainly running its (endless) notebook.

    Returns the builder process and the (kernel, worker) process ids the notebook wrote.
    """
    marker = tmp_path / "kernel.pids"
    spec = build_params / "reports" / "waiting.yaml"
    spec.write_text(f"title: Waiting\nnotebook: waiting\nparameters:\n  marker: '{marker}'\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", "waiting", "--jobs", "1", "--out", str(out)],
        start_new_session=True,  # its own process group, like a shell job
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    # The notebook never finishes, so waiting for its marker cannot race with the build.
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the waiting notebook never started"
        time.sleep(0.05)
    kernel, worker = (int(x) for x in marker.read_text().split())
    return proc, (kernel, worker)


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_a_signalled_build_stops_everything_and_keeps_the_good_reports(
    build_params: Path, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "out"
    before = previous_good(out, "waiting")
    proc, pids = _waiting_build(build_params, tmp_path, out)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground job
    else:
        os.kill(proc.pid, sig)  # `kill PID` reaches the builder only
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr + stdout
    last = stderr.strip().splitlines()[-1]
    assert last.startswith(f"{sig.name}: stopped") and stdout == ""
    # Kernel and worker are stopped (they exit promptly; allow a slow machine time to reap).
    deadline = time.monotonic() + 60
    while not all(_gone(pid) for pid in pids):
        assert time.monotonic() < deadline, f"still running: {pids}"
        time.sleep(0.1)
    visible = {k: v for k, v in snapshot(out).items() if not k.startswith(".")}
    index = visible.pop("index.html").decode()
    assert visible == before  # the previous good report, byte for byte
    assert hidden(out) == []  # no temporaries
    assert 'href="waiting.html"' in index  # rewritten from what is on disk


@pytest.mark.slow
def test_a_killed_builder_leaves_only_hidden_temporaries_that_are_swept(
    build_params: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    before = previous_good(out, "waiting")
    proc, (kernel, _worker) = _waiting_build(build_params, tmp_path, out)
    os.killpg(proc.pid, signal.SIGKILL)  # builder and workers; the kernel is in its own session
    proc.communicate(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(kernel, signal.SIGKILL)  # an orphaned kernel is the user's to stop here
    visible = {k: v for k, v in snapshot(out).items() if not k.startswith(".")}
    assert visible == before
    write_index(out)
    assert index_rows(out)[0].name == "waiting"
    sweep_stale_temps(out, max_age=0)
    assert hidden(out) == []


def start_build(tmp_path: Path, out: Path, *runs: str) -> subprocess.Popen[bytes]:
    script = tmp_path / "build_script.py"
    script.write_text(BUILD_SCRIPT)
    specs = [str(tmp_path / "params" / "reports" / f"{r}.yaml") for r in runs]
    return subprocess.Popen(
        [sys.executable, str(script), str(FIXTURE_NOTEBOOKS), str(out), *specs],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
def test_two_builds_at_once_into_one_folder(build_params: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    first = start_build(tmp_path, out, "demo", "fixed")
    second = start_build(tmp_path, out, "demo")
    for proc in (first, second):
        log = proc.communicate(timeout=180)[0].decode()
        assert proc.returncode == 0, log
    assert_valid_report(out, "demo")
    assert_valid_report(out, "fixed", bundles=0)
    assert [r.name for r in index_rows(out)] == ["demo", "fixed"]
    assert hidden(out) == []


@pytest.mark.slow
def test_the_same_inputs_give_the_same_html_bytes(build_params: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        [result] = build_reports([run_of(build_params, "demo")], out, jobs=1)
        assert result.status == "ok", result.error
    assert (first / "demo.html").read_bytes() == (second / "demo.html").read_bytes()


@pytest.mark.slow
def test_a_cached_run_is_rendered_without_a_kernel_until_an_input_changes(
    build_params: Path, tmp_path: Path
) -> None:
    from analysis.pipeline.cache import ResultsCache

    cache = ResultsCache(tmp_path / "cache")

    def build(out: Path) -> tuple[str, bytes]:
        [result] = build_reports([run_of(build_params, "demo")], out, jobs=1, cache=cache)
        assert result.status == "ok", result.error
        meta = nbformat.read(out / "demo.ipynb", as_version=4).metadata
        return meta["papermill"]["start_time"], (out / "demo.html").read_bytes()

    first = build(tmp_path / "a")
    again = build(tmp_path / "b")
    assert again == first  # the same execution (its start time), the same page
    assert_valid_report(tmp_path / "b", "demo")
    assert hidden(tmp_path / "b") == []

    spec = build_params / "reports" / "demo.yaml"
    spec.write_text(spec.read_text().replace("scale: 2", "scale: 3"))
    changed = build(tmp_path / "c")
    assert changed[0] != first[0]  # a new execution
    meta = nbformat.read(tmp_path / "c" / "demo.ipynb", as_version=4).metadata[META_KEY]
    assert meta["summary"]["numbers"]["total"] != 432.0


def _stored_types(folder: Path) -> set[str]:
    """The type names of the results stored in a shared folder (each checked against its
    SHA-256)."""
    import hashlib
    import pickle

    found = set()
    for entry in folder.glob("*.pickle"):
        checksum, _, body = entry.read_bytes().partition(b"\n")
        assert checksum.decode() == hashlib.sha256(body).hexdigest()
        found.add(type(pickle.loads(body)).__name__)
    return found


def _outputs(path: Path) -> list[str]:
    """Every code cell's source and outputs (not papermill's timings, nor the stamp, which
    names the commit), with the memory addresses of objects' default text representations
    (``<Html at 0x7f...>``: another in every run) blanked."""
    import json
    import re

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    cells = [json.dumps([c.source, c.outputs], sort_keys=True) for c in code]
    return [re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", cell) for cell in cells]


@pytest.mark.slow
def test_reports_sharing_the_law_by_day_give_the_outputs_of_an_unshared_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two region reports of the law in force today load the same inputs and compute the same
    daily schedules: built with a shared folder, the second reads what the first stored (the
    inputs, the line data, the law by day; and a country's report, which splits Korea out of
    its region, reads their line stacking), and the executed notebooks are those of a build
    where each loads and computes its own."""
    root = Path(__file__).resolve().parents[2]
    runs = [
        load_run(root / "params" / "reports" / f"{name}.yaml", root / "notebooks")
        for name in ("partner_eu", "partner_row", "partner_kor")
    ]
    monkeypatch.setenv("TARIFF_REPORTS_CACHE", "off")
    monkeypatch.setenv("TARIFF_REPORTS_SHARED", "off")
    alone = build_reports(runs, tmp_path / "alone", jobs=2)
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("TARIFF_REPORTS_SHARED", str(shared))
    own: set[str] = set()  # what the build kept in its own folder, seen before it goes
    close = MaterializedSnapshot.close

    def seen_and_closed(self: MaterializedSnapshot) -> None:
        own.update(_stored_types(self.root / "own"))
        close(self)

    monkeypatch.setattr(MaterializedSnapshot, "close", seen_and_closed)
    together = build_reports(runs, tmp_path / "together", jobs=1)  # the second reads the first's
    assert [r.status for r in alone + together] == ["ok"] * 6, [r.error for r in alone + together]
    assert len(list(shared.glob("*.pickle"))) > 10  # one schedule per day the law changed
    assert {"Inputs", "LineData", "ProductLists", "UsmcaShares"} <= own
    assert not {"Inputs", "LineData"} & _stored_types(shared)  # not kept between builds
    for run in runs:
        name = f"{run.name}.ipynb"
        assert _outputs(tmp_path / "together" / name) == _outputs(tmp_path / "alone" / name)


LAW_NOTEBOOK = """\
# %% tags=["parameters"]
day: str = "2025-06-01"

# %%
import datetime as dt
import hashlib

from analysis.inputs.bundle import load_inputs
from analysis.policy.regimes import schedule_for_date

inputs = load_inputs()
law = schedule_for_date(dt.date.fromisoformat(day), inputs.data, inputs.measures, inputs.lines)
parts = [law.tariff_rate, law.section232_share]
parts += [law.contributions[k] for k in sorted(law.contributions)]
print(hashlib.sha256(b"".join(part.tobytes() for part in parts)).hexdigest())
"""


@pytest.mark.slow
def test_the_law_shared_between_builds_is_read_only_while_its_inputs_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build with the same law reads the law by day the first stored under the
    results cache (the stored file is not rewritten), also after a scenario changes; a changed
    measure file computes its own; each prints the law computed without any sharing."""
    import datetime as dt
    import hashlib
    import shutil

    from analysis.inputs.bundle import load_inputs
    from analysis.pipeline.cache import ResultsCache
    from analysis.policy.regimes import schedule_for_date

    root = Path(__file__).resolve().parents[2]
    params, nb_dir = tmp_path / "params", tmp_path / "notebooks"
    (params / "reports").mkdir(parents=True)
    nb_dir.mkdir()
    (nb_dir / "law.py").write_text(LAW_NOTEBOOK)
    (params / "reports" / "law.yaml").write_text("title: Law\nnotebook: law\n")
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
    monkeypatch.delenv("TARIFF_REPORTS_SHARED", raising=False)
    cache = ResultsCache(tmp_path / "cache")
    shared = cache.root / "shared"

    def build(out: str, results: ResultsCache | None = cache) -> str:
        for entry in cache.root.glob("??/*"):
            entry.unlink()  # the report runs again; the shared law stays
        run = load_run(params / "reports" / "law.yaml", nb_dir)
        [result] = build_reports([run], tmp_path / out, jobs=1, cache=results, keep=cache)
        assert result.status == "ok", result.error
        cells = nbformat.read(tmp_path / out / "law.ipynb", as_version=4).cells
        [cell] = [c for c in cells if c.get("outputs")]
        return str(cell.outputs[0].text).strip()

    first = build("a")
    stored = sorted(p.stat().st_ino for p in shared.glob("*.pickle"))
    assert len(stored) == 2  # the day's line stacking, its cells
    assert build("b") == first
    for name in ("current.yaml",):  # a scenario the law does not read
        (params / "scenarios").mkdir()
        text = (root / "params" / "scenarios" / name).read_text()
        (params / "scenarios" / name).write_text(text + "\n# edited\n")
    assert build("c") == first
    assert sorted(p.stat().st_ino for p in shared.glob("*.pickle")) == stored  # read, not rewritten
    (params / "measures").mkdir()
    shutil.copy(root / "params" / "measures" / "mfn_column1_general.yaml", params / "measures")
    with (params / "measures" / "mfn_column1_general.yaml").open("a") as f:
        f.write("\n# edited\n")
    assert build("d") == first  # the same law, computed again under its new digest
    inodes = sorted(p.stat().st_ino for p in shared.glob("*.pickle"))
    assert len(inodes) == 4
    assert build("e", results=None) == first  # --no-cache: every run executes, the law is read
    assert sorted(p.stat().st_ino for p in shared.glob("*.pickle")) == inodes
    monkeypatch.delenv("TARIFF_REPORTS_PARAMS")
    inputs = load_inputs()  # no build: nothing shared
    alone = schedule_for_date(dt.date(2025, 6, 1), inputs.data, inputs.measures, inputs.lines)
    parts = [alone.tariff_rate, alone.section232_share]
    parts += [alone.contributions[k] for k in sorted(alone.contributions)]
    assert first == hashlib.sha256(b"".join(part.tobytes() for part in parts)).hexdigest()


@pytest.mark.slow
def test_the_inputs_the_checks_hand_over_give_the_outputs_of_an_unshared_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build given the inputs its runs were checked against (``pipeline.build_inputs``)
    hands the bundle and its line data to its kernel; the executed notebook is that of a
    build whose kernel loads and computes everything itself."""
    from analysis.pipeline.build_inputs import BuildInputs

    params, nb_dir = tmp_path / "params", tmp_path / "notebooks"
    (params / "reports").mkdir(parents=True)
    nb_dir.mkdir()
    (nb_dir / "law.py").write_text(LAW_NOTEBOOK)
    spec = params / "reports" / "law.yaml"
    spec.write_text("title: Law\nnotebook: law\nparameters:\n  day: '2025-08-07'\n")
    monkeypatch.setenv("TARIFF_REPORTS_PARAMS", str(params))
    monkeypatch.setenv("TARIFF_REPORTS_SHARED", "off")
    [alone] = build_reports([load_run(spec, nb_dir)], tmp_path / "alone", jobs=1)
    monkeypatch.delenv("TARIFF_REPORTS_SHARED")
    own: set[str] = set()
    close = MaterializedSnapshot.close

    def seen_and_closed(self: MaterializedSnapshot) -> None:
        own.update(_stored_types(self.root / "own"))
        close(self)

    monkeypatch.setattr(MaterializedSnapshot, "close", seen_and_closed)
    with BuildInputs() as checked:
        run = load_run(spec, nb_dir, checked.inputs())
        [handed] = build_reports([run], tmp_path / "handed", jobs=1, checked=checked)
    assert [alone.status, handed.status] == ["ok", "ok"], [alone.error, handed.error]
    assert {"Inputs", "LineData", "ProductLists", "UsmcaShares"} <= own
    name = "law.ipynb"
    assert _outputs(tmp_path / "handed" / name) == _outputs(tmp_path / "alone" / name)
