"""The inputs a build checks its runs against: the build's private copy, loaded once.

Before any kernel starts, the builder checks every run's parameters against the inputs (a
known scenario, a market file, a partner). It reads them from the build's snapshot
(``pipeline.snapshot``): the params folder and the data are read and hashed once, written
into a private folder, and loaded from there, the very bytes its kernels read. The bundle
loaded is then handed to the kernels (``inputs.bundle.hand_over``: kept in the build's own
folder under the key of the copy's digest and paths, ``inputs.shared``), so the first kernel
reads it back instead of loading the same files again.

An error found in the copy names the user's file, as a load of the user's folders would: a
copied params file maps back to the file it was read from (in the user's folder or the
shipped one), a data file to the data folder, and a file or folder the copy does not hold
to the top params layer (where a load looks for it last). A file the copy cannot hold (a
FIFO, a dangling link: only regular files are copied) would hide what validation says of it,
so then the checks load the user's folders, as before, and nothing is handed over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from analysis.inputs.bundle import Inputs, load_inputs
from analysis.inputs.errors import InputError
from analysis.pipeline.snapshot import InputsSnapshot, MaterializedSnapshot


class BuildInputs:
    """A build's snapshot of its inputs, its private copy and the bundle loaded from it, each
    made when first asked for; the copy is removed on :meth:`close`."""

    def __init__(self, params: Path | None = None, data_dir: Path | None = None) -> None:
        self._params, self._data_dir = params, data_dir
        self._snapshot: InputsSnapshot | None = None
        self._copy: MaterializedSnapshot | None = None
        self._inputs: Inputs | None = None
        self._from_copy = False

    def snapshot(self) -> InputsSnapshot:
        """The params folder and the data, read and hashed once (no user's file yet)."""
        if self._snapshot is None:
            self._snapshot = InputsSnapshot.take(self._params, self._data_dir)
        return self._snapshot

    def copy(self) -> MaterializedSnapshot:
        """The snapshot written into a private folder (what the kernels read)."""
        if self._copy is None:
            self._copy = MaterializedSnapshot(self.snapshot())
        return self._copy

    def inputs(self) -> Inputs:
        """The inputs the runs are checked against: a load of the copy, or of the user's
        folders where the copy would hide a fault (an unreadable or irregular file)."""
        if self._inputs is None:
            self._inputs = self._load()
        return self._inputs

    def _load(self) -> Inputs:
        try:
            copy = self.copy() if self.snapshot().complete else None
        except OSError:  # an unreadable file: validation names it, from the user's folder
            copy = None
        if copy is None:
            return load_inputs(self._params, self._data_dir)
        params, data = copy_folders(copy)
        with self.users_names():
            inputs = load_inputs(params, data)
        self._from_copy = True
        return inputs

    def handed_over(self) -> Inputs | None:
        """The bundle loaded from the copy, if the checks loaded one: what the build's
        kernels would load themselves."""
        return self._inputs if self._from_copy else None

    def final(self, user_files: Mapping[str, bytes]) -> tuple[InputsSnapshot, MaterializedSnapshot]:
        """The build's snapshot and copy with the user's files its runs name (read by their
        checks) added to both."""
        snapshot = self.snapshot().with_user_files(user_files)
        copy = self.copy()
        copy.add(user_files)
        self._snapshot = snapshot
        return snapshot, copy

    @contextlib.contextmanager
    def users_names(self) -> Iterator[None]:
        """An :class:`InputError` raised inside names the user's file, not the copy's."""
        try:
            yield
        except InputError as exc:
            if self._copy is None or self._snapshot is None:
                raise
            raise users_error(exc, self._copy.root, self._snapshot) from None

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()

    def __enter__(self) -> BuildInputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def copy_folders(copy: MaterializedSnapshot) -> tuple[Path, Path]:
    """The copy's params and data folders, resolved, as its kernels' ``load_inputs()`` sees
    them (``$TARIFF_REPORTS_PARAMS`` and ``$TARIFF_REPORTS_DATA``, resolved)."""
    return (copy.root / "params").resolve(), (copy.root / "data").resolve()


def _relative_file(rest: str, known: Mapping[str, Path]) -> tuple[str, str]:
    """(a file ``known`` names, what follows it) at the start of ``rest``; else (rest, "")."""
    for end in range(len(rest), 0, -1):
        if (end == len(rest) or rest[end] in ":/") and rest[:end] in known:
            return rest[:end], rest[end:]
    return rest, ""


def users_path(file: str, root: Path, snapshot: InputsSnapshot) -> str:
    """``file`` (a path in the copy at ``root``, perhaps followed by more text) as the path
    of the user's file it was copied from; any other text unchanged."""
    for folder in {root, root.resolve()}:
        for part, base in (("params", snapshot.top), ("data", snapshot.data_dir)):
            prefix = f"{folder / part}/"
            if base is None or not (file.startswith(prefix) or file == prefix[:-1]):
                continue
            rest = file[len(prefix) :]
            if part == "data":
                return str(base / rest) if rest else str(base)
            relative, tail = _relative_file(rest, snapshot.origins)
            if relative in snapshot.origins:
                return f"{snapshot.origins[relative]}{tail}"
            return str(base / rest) if rest else str(base)
    return file


def users_error(error: InputError, root: Path, snapshot: InputsSnapshot) -> InputError:
    """``error`` naming the user's files instead of the copy's at ``root``."""
    return InputError(
        users_path(error.file, root, snapshot), error.key, error.expected, error.found
    )
