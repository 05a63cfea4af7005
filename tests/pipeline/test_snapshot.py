"""The build's snapshot: every regular file read once, symlinks followed, cycles ended."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.pipeline.snapshot import (
    InputsSnapshot,
    MaterializedSnapshot,
    code_digest,
    read_tree,
    write_tree,
)


def test_symlinked_folders_and_files_are_followed_and_a_cycle_ends(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "params", tmp_path / "elsewhere"
    (root / "scenarios").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "a.yaml").write_text("a: 1\n")
    (root / "markets").symlink_to(elsewhere, target_is_directory=True)
    (root / "scenarios" / "b.yaml").symlink_to(elsewhere / "a.yaml")
    (root / "scenarios" / "loop").symlink_to(root, target_is_directory=True)
    (root / "scenarios" / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    os.mkfifo(root / "scenarios" / "fifo.yaml")  # never opened (it would block)
    files = read_tree(root)
    assert files == {"markets/a.yaml": b"a: 1\n", "scenarios/b.yaml": b"a: 1\n"}


def test_run_specs_are_left_out_and_the_digest_follows_every_byte(tmp_path: Path) -> None:
    params, data = tmp_path / "params", tmp_path / "data"
    (params / "reports").mkdir(parents=True)
    data.mkdir()
    (params / "reports" / "r.yaml").write_text("title: x\n")
    (params / "elasticities.yaml").write_text("x: 1\n")
    (data / "d.csv").write_text("a\n1\n")
    first = InputsSnapshot.take(params, data)
    # The layered view the kernels read: the shipped params under the folder's own files.
    assert first.params["elasticities.yaml"] == b"x: 1\n"
    assert "measures/mfn_column1_general.yaml" in first.params
    assert not any(name.startswith("reports/") for name in first.params)
    (params / "reports" / "r.yaml").write_text("title: y\n")
    assert InputsSnapshot.take(params, data).digest == first.digest
    (data / "d.csv").write_text("a\n2\n")
    assert InputsSnapshot.take(params, data).digest != first.digest
    # Moving bytes between two files changes the digest (lengths are hashed too).
    (data / "d.csv").write_text("a\n1\n")
    (params / "elasticities.yaml").write_text("x: 1\n\n")
    assert InputsSnapshot.take(params, data).digest != first.digest


def test_a_materialized_snapshot_is_what_was_read_and_goes_away(tmp_path: Path) -> None:
    params, data = tmp_path / "params", tmp_path / "data"
    params.mkdir()
    data.mkdir()
    (params / "s.yaml").write_text("rate: 0.25\n")
    (data / "d.csv").write_text("a\n1\n")
    snapshot = InputsSnapshot.take(params, data)
    (params / "s.yaml").write_text("rate: 0.45\n")  # edited after the snapshot
    with MaterializedSnapshot(snapshot) as copy:
        env = copy.env()
        assert Path(env["TARIFF_REPORTS_PARAMS"], "s.yaml").read_text() == "rate: 0.25\n"
        assert Path(env["TARIFF_REPORTS_DATA"], "d.csv").read_text() == "a\n1\n"
    assert not copy.root.exists()


def test_a_path_escaping_its_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="outside its folder"):
        write_tree({"../x": b""}, tmp_path / "root")


def test_the_code_digest_is_stable() -> None:
    assert code_digest() == code_digest()


def test_the_users_files_a_run_names_join_the_snapshot_and_its_digest(tmp_path: Path) -> None:
    params, data = tmp_path / "params", tmp_path / "data"
    params.mkdir()
    data.mkdir()
    (data / "d.csv").write_text("a\n1\n")
    plain = InputsSnapshot.take(params, data)
    mine = {"user_files/abc.yaml": b"title: mine\n"}
    taken = InputsSnapshot.take(params, data, user_files=mine)
    assert taken.params["user_files/abc.yaml"] == b"title: mine\n"
    assert taken.digest != plain.digest
    edited = InputsSnapshot.take(params, data, user_files={"user_files/abc.yaml": b"title: x\n"})
    assert edited.digest != taken.digest
    with MaterializedSnapshot(taken) as copy:
        private = Path(copy.env()["TARIFF_REPORTS_PARAMS"], "user_files", "abc.yaml")
        assert private.read_bytes() == b"title: mine\n"


def test_the_law_digest_follows_every_byte_but_the_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params, data = tmp_path / "params", tmp_path / "data"
    for folder in ("measures", "scenarios"):
        (params / folder).mkdir(parents=True)
    data.mkdir()
    (params / "measures" / "m.yaml").write_text("rate: 0.1\n")
    (params / "scenarios" / "s.yaml").write_text("title: s\n")
    (params / "line_lists.yaml").write_text("l: []\n")
    (data / "d.csv").write_text("a\n1\n")
    first = InputsSnapshot.take(params, data)
    assert first.law_digest and first.law_digest != first.digest

    def law_after(path: Path, text: str) -> str:
        before = path.read_text()
        path.write_text(text)
        try:
            return InputsSnapshot.take(params, data).law_digest
        finally:
            path.write_text(before)

    # A scenario is not read into the law: the law's shared results stay valid.
    assert law_after(params / "scenarios" / "s.yaml", "title: t\n") == first.law_digest
    assert law_after(params / "measures" / "m.yaml", "rate: 0.2\n") != first.law_digest
    assert law_after(params / "line_lists.yaml", "l: [a]\n") != first.law_digest
    assert law_after(data / "d.csv", "a\n2\n") != first.law_digest
    assert InputsSnapshot.take(params, data).law_digest == first.law_digest
    import analysis.pipeline.snapshot as snapshot_module

    monkeypatch.setattr(snapshot_module, "code_digest", lambda: "other code")
    assert InputsSnapshot.take(params, data).law_digest != first.law_digest
