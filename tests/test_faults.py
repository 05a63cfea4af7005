"""Fault injection: the results cache, the output folder and the build under hostile use.

Each test is one numbered case of issue 20 (or its neighbour) and failed before the fix. None
races: a test that must act while a build runs waits for the fixture notebook ``waiting`` to
write its marker (it then waits for a release file the test creates), and a wait for a process
to exit has a generous deadline that only a broken build can reach.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import FIXTURE_NOTEBOOKS

from analysis.pipeline.build import build_reports
from analysis.pipeline.cache import ResultsCache, cache_dir
from analysis.pipeline.index import index_rows, write_index
from analysis.pipeline.layout import META_KEY
from analysis.pipeline.publish import sweep_stale_temps
from analysis.pipeline.runs import ReportRun, load_run

DEADLINE_SECONDS = 300.0


def _wait_for(path: Path, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not path.exists():
        if proc is not None:
            assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _wait_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + 60
    while not all(_gone(pid) for pid in pids):
        alive = {p for p in pids if not _gone(p)}
        assert time.monotonic() < deadline, f"still running: {alive}"
        time.sleep(0.1)


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc, parents by ppid)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _waiting_spec(params: Path, name: str, marker: Path, **more: str) -> None:
    lines = [f"title: {name}", "notebook: waiting", "parameters:", f"  marker: '{marker}'"]
    lines += [f"  {key}: '{value}'" for key, value in more.items()]
    (params / "reports" / f"{name}.yaml").write_text("\n".join(lines) + "\n")


def _cli_build(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "build", *args],
        start_new_session=True,  # its own process group, like a shell job
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or dict(os.environ),
    )


def _summary_value(out: Path, name: str) -> float:
    meta = nbformat.read(out / f"{name}.ipynb", as_version=4).metadata[META_KEY]
    return float(meta["summary"]["numbers"]["probe_value"])


def _run(params: Path, name: str) -> ReportRun:
    return load_run(params / "reports" / f"{name}.yaml", FIXTURE_NOTEBOOKS)


# 1. Params edited during a build, then reverted: the cache must hold what the kernel computed
#    from the bytes the key names.
@pytest.mark.slow
def test_1_params_edited_during_a_build_never_poison_the_cache(
    build_params: Path, tmp_path: Path
) -> None:
    probe = build_params / "probe.txt"
    probe.write_text("24.6")
    marker, release = tmp_path / "marker", tmp_path / "release"
    _waiting_spec(build_params, "probed", marker, release=str(release), probe="probe.txt")
    cache = tmp_path / "cache"
    env = {**os.environ, "TARIFF_REPORTS_CACHE": str(cache)}
    out = tmp_path / "out"
    proc = _cli_build("probed", "--jobs", "1", "--out", str(out), env=env)
    _wait_for(marker, proc)
    probe.write_text("39.9")  # edited while the kernel runs...
    release.touch()  # ...and read by the kernel after the edit (were it reading params/)
    proc.communicate(timeout=DEADLINE_SECONDS)
    probe.write_text("24.6")  # reverted: the key is the original one again
    marker.unlink()  # as before the first build (a file a parameter names)
    assert _summary_value(out, "probed") == 24.6  # the run read the snapshot
    again = tmp_path / "again"
    rebuilt = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "probed", "--out", str(again)],
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _summary_value(again, "probed") == 24.6


# 2. A symlinked params folder: its files are part of the key.
@pytest.mark.slow
def test_2_an_edit_inside_a_symlinked_params_folder_changes_the_key(
    build_params: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real_markets"
    (build_params / "markets").rename(real)
    (build_params / "markets").symlink_to(real, target_is_directory=True)
    (real / "probe.txt").write_text("1.5")
    marker, release = tmp_path / "marker", tmp_path / "release"
    release.touch()
    _waiting_spec(build_params, "probed", marker, release=str(release), probe="markets/probe.txt")
    cache = ResultsCache(tmp_path / "cache")
    [first] = build_reports([_run(build_params, "probed")], tmp_path / "a", jobs=1, cache=cache)
    assert first.status == "ok" and _summary_value(tmp_path / "a", "probed") == 1.5
    marker.unlink()  # as before the first build (a file a parameter names)
    (real / "probe.txt").write_text("2.5")
    [second] = build_reports([_run(build_params, "probed")], tmp_path / "b", jobs=1, cache=cache)
    assert second.status == "ok" and _summary_value(tmp_path / "b", "probed") == 2.5


# 3. Only our own temporaries are swept, whatever folder --out names.
def test_3_the_sweep_never_deletes_a_users_hidden_files(tmp_path: Path) -> None:
    names = [".bashrc.tmp", ".notes.tmp1", ".x.abcdefgh.tmp.html", ".config.tmp.json"]
    for name in names:
        (tmp_path / name).write_text("mine")
        os.utime(tmp_path / name, (time.time() - 30 * 86400,) * 2)
    sweep_stale_temps(tmp_path, max_age=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


# 5. A foreign file in the output folder never becomes a link in the index.
def test_5_a_foreign_file_name_never_becomes_a_link(tmp_path: Path) -> None:
    meta = {"run": "javascript:alert(1)", "title": "x", "status": "ok", "built_at": "2026"}
    for name in ("javascript:alert(1)", "x y"):
        nb = nbformat.v4.new_notebook(metadata={META_KEY: meta})
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        (tmp_path / f"{name}.html").write_text("<p>x</p>")
    # A copy of a real report under another name: its stamp names another run.
    nb = nbformat.v4.new_notebook(metadata={META_KEY: {**meta, "run": "demo"}})
    nbformat.write(nb, tmp_path / "copied.ipynb")
    (tmp_path / "copied.html").write_text("<p>x</p>")
    html = write_index(tmp_path).read_text()
    assert index_rows(tmp_path) == []
    page = html.split("<script")[0]
    assert "javascript:" not in page and "href=" not in page


# 9. Disk full on --out: one line per report, the previous good report intact, exit 1.
@pytest.mark.slow
def test_9_a_full_disk_fails_cleanly_and_keeps_the_good_report(
    build_params: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analysis.pipeline import publish

    out = tmp_path / "out"
    [good] = build_reports([_run(build_params, "demo")], out, jobs=1)
    assert good.status == "ok"
    before = (out / "demo.html").read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "x"))

    monkeypatch.setattr(publish, "_write_nb", full)
    from analysis.pipeline import build

    monkeypatch.setattr(build, "write_index", full)
    [result] = build_reports([_run(build_params, "demo")], out, jobs=1)
    assert result.status == "failed"
    assert result.error is not None and "No space left on device" in result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    assert (out / "demo.html").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


# 10. One worker killed fails its own report only; the others finish.
@pytest.mark.slow
def test_10_a_killed_worker_fails_only_its_own_report(build_params: Path, tmp_path: Path) -> None:
    doomed, survivor = tmp_path / "doomed.pid", tmp_path / "survivor.pid"
    release = tmp_path / "release"
    _waiting_spec(build_params, "doomed", doomed)  # waits for ever
    _waiting_spec(build_params, "survivor", survivor, release=str(release))
    out = tmp_path / "out"
    proc = _cli_build("doomed", "survivor", "--jobs", "2", "--out", str(out), "--no-cache")
    _wait_for(doomed, proc)
    _wait_for(survivor, proc)
    kernel, worker = (int(x) for x in doomed.read_text().split())
    os.kill(worker, signal.SIGKILL)
    release.touch()
    stdout, stderr = proc.communicate(timeout=DEADLINE_SECONDS)
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stdout + stderr
    assert "doomed: failed" in stderr and "survivor: ok" in stderr
    assert "worker process died: SIGKILL" in stdout
    assert (out / "survivor.html").exists() and (out / "doomed.failed.ipynb").exists()
    _wait_gone({kernel})  # the dead worker's kernel is stopped too


# 11. The builder SIGKILLed: its workers, their kernels and the fork server exit.
@pytest.mark.slow
def test_11_a_killed_builder_leaves_no_process_behind(build_params: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    _waiting_spec(build_params, "waiting", marker)
    proc = _cli_build("waiting", "--jobs", "1", "--out", str(tmp_path / "out"), "--no-cache")
    _wait_for(marker, proc)
    kernel, worker = (int(x) for x in marker.read_text().split())
    below = _descendants(proc.pid) | {kernel, worker}
    os.kill(proc.pid, signal.SIGKILL)  # the builder only: nothing tells the others
    proc.communicate(timeout=60)
    _wait_gone(below)


# 12. A truncated cached notebook, a corrupt cached summary: dropped, run again, warned.
@pytest.mark.slow
@pytest.mark.parametrize("part", ["ipynb", "summary.json"])
def test_12_a_corrupt_cache_entry_is_dropped_and_run_again(
    build_params: Path, tmp_path: Path, part: str, capfd: pytest.CaptureFixture[str]
) -> None:
    cache = ResultsCache(tmp_path / "cache")
    run = _run(build_params, "demo")
    [first] = build_reports([run], tmp_path / "a", jobs=1, cache=cache)
    assert first.status == "ok"
    [entry] = (tmp_path / "cache").glob(f"??/*.{part}")
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # truncated: still "there"
    capfd.readouterr()
    [second] = build_reports([run], tmp_path / "b", jobs=1, cache=cache)
    assert second.status == "ok" and second.seconds > 0.0  # executed again
    assert "dropped a corrupt cache entry" in capfd.readouterr().err
    meta = nbformat.read(tmp_path / "b" / "demo.ipynb", as_version=4).metadata[META_KEY]
    assert meta["summary"]["text"]  # the headline is there
    assert entry.read_bytes() != data[: len(data) // 2]  # replaced by the good run


def test_12_a_cache_over_its_cap_drops_the_least_recently_used(tmp_path: Path) -> None:
    cache = ResultsCache(tmp_path, max_size=2500)
    notebook = json.dumps({"cells": [], "pad": "x" * 1000}).encode()
    for i, key in enumerate(("a" * 64, "b" * 64, "c" * 64)):
        cache.put(key, notebook, b"")
        for path in tmp_path.glob(f"??/{key}.*"):
            os.utime(path, (1000.0 + i, 1000.0 + i))  # a, then b, then c
    assert cache.get("a" * 64) is None and cache.get("c" * 64) is not None


# 13. Ctrl-C in the first seconds, while the fork server imports: one line from the whole job.
def _fork_server_importing(pid: int, proc: subprocess.Popen[str]) -> int:
    """The build's fork server, once it is in its warm-up imports (zmq, loaded early by
    papermill's imports, is mapped; papermill itself takes about a second more)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        for child in _descendants(pid):
            with contextlib.suppress(OSError):
                if b"forkserver" not in Path(f"/proc/{child}/cmdline").read_bytes():
                    continue
                if b"zmq" in Path(f"/proc/{child}/maps").read_bytes():
                    return child
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no fork server started"
        time.sleep(0.005)


@pytest.mark.slow
def test_13_ctrl_c_early_prints_one_line(build_params: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    _waiting_spec(build_params, "waiting", marker)
    proc = _cli_build("waiting", "--jobs", "1", "--out", str(tmp_path / "out"), "--no-cache")
    _fork_server_importing(proc.pid, proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground job
    stdout, stderr = proc.communicate(timeout=DEADLINE_SECONDS)
    assert "Traceback" not in stdout + stderr, stderr
    assert proc.returncode == 130
    lines = [line for line in stderr.splitlines() if line.strip()]
    # Still importing ("interrupted"), or building: one line either way.
    assert lines[-1] in (
        "interrupted",
        "SIGINT: stopped; finished reports kept, nothing half-written, index rewritten",
    )
    assert all(line.startswith("building 1 report(s)") for line in lines[:-1])


# 13. A malformed scheduler address: one line at once, nothing 20 s later.
@pytest.mark.parametrize("address", ["http://x:abc", "tcp://host:99999", "tcp://:8786"])
def test_13_a_bad_scheduler_address_fails_once_and_cleanly(
    build_params: Path, tmp_path: Path, address: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "demo", "--scheduler", address],
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "--scheduler: expected a Dask scheduler address" in result.stderr


# 13. An empty HOME: a private temporary cache folder, with a warning.
@pytest.mark.parametrize("home", ["", "relative/path"])
def test_13_an_unusable_home_falls_back_to_a_temporary_cache(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], home: str
) -> None:
    monkeypatch.delenv("TARIFF_REPORTS_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    folder = cache_dir()
    assert folder is not None and folder.is_absolute() and str(folder).startswith("/tmp")
    assert "not a folder" in capsys.readouterr().err
