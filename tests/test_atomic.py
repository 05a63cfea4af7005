"""Atomic file output: a reader sees the complete old file or the complete new one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from analysis.atomic import (
    TEMP_MARK,
    TEMP_PREFIX,
    atomic_write_bytes,
    atomic_write_text,
    discard,
    is_our_temporary,
    publish,
    temp_path,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_temporaries_are_unique_hidden_files_next_to_the_final_name(tmp_path: Path) -> None:
    final = tmp_path / "report.html"
    first, second = temp_path(final), temp_path(final)
    assert first != second
    for tmp in (first, second):
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(TEMP_PREFIX + "report.")
        assert tmp.name.endswith(TEMP_MARK + ".html")
        assert is_our_temporary(tmp.name)
        assert tmp.read_bytes() == b""
    assert not final.exists()


def test_a_temporary_may_take_a_suffix_of_its_own(tmp_path: Path) -> None:
    tmp = temp_path(tmp_path / "run.ipynb", suffix=".out.ipynb")
    assert tmp.name.startswith(TEMP_PREFIX + "run.") and tmp.name.endswith(".tmp.out.ipynb")
    assert is_our_temporary(tmp.name)


@pytest.mark.parametrize(
    "name",
    [
        ".bashrc.tmp",
        ".x.abcdefgh.tmp.html",  # the old naming: a user's hidden file could look like this
        ".report.tmp_1234.ipynb",
        ".viminfo.tmp",
        "report.html",
        ".tariff-reports-partial.",  # no random part, no .tmp
    ],
)
def test_no_name_a_user_would_pick_is_taken_for_a_temporary(name: str) -> None:
    assert not is_our_temporary(name)


def test_discard_removes_a_file_and_never_raises(tmp_path: Path) -> None:
    tmp = temp_path(tmp_path / "x.txt")
    discard(tmp)
    assert not tmp.exists()
    discard(tmp)  # already gone
    discard(None)


def test_atomic_write_replaces_the_file_readable_and_leaves_no_temporary(tmp_path: Path) -> None:
    final = tmp_path / "out.bin"
    final.write_bytes(b"old")
    assert atomic_write_bytes(final, b"\x00new") == final
    assert final.read_bytes() == b"\x00new"
    assert mode(final) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_atomic_write_text_encodes_utf8(tmp_path: Path) -> None:
    final = atomic_write_text(tmp_path / "t.html", "Japan 日本 — 15%")
    assert final.read_bytes() == "Japan 日本 — 15%".encode()


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = tmp_path / "report.html"
    final.write_text("last good")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(final, "half a report")
    assert final.read_text() == "last good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_publish_moves_a_finished_temporary_into_place(tmp_path: Path) -> None:
    final = tmp_path / "run.ipynb"
    final.write_text("old")
    tmp = temp_path(final)
    tmp.write_text("new")
    os.chmod(tmp, 0o600)
    assert publish(tmp, final) == final
    assert final.read_text() == "new"
    assert mode(final) == 0o644
    assert not tmp.exists()


def test_a_scratch_write_skips_only_the_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real(fd))
    atomic_write_bytes(tmp_path / "kept.bin", b"report")
    assert len(synced) == 1
    atomic_write_bytes(tmp_path / "scratch.bin", b"checksummed", durable=False)
    assert len(synced) == 1  # no fsync, the same file otherwise
    assert (tmp_path / "scratch.bin").read_bytes() == b"checksummed"
    assert mode(tmp_path / "scratch.bin") == 0o644
    assert not [p for p in tmp_path.iterdir() if is_our_temporary(p.name)]
