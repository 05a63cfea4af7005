"""What a build's kernels read, read once: the params folder and the shipped data as bytes.

The results cache is only as true as its key. A key computed from the live ``params/`` folder
at the start of a build, while each kernel reads the folder later, can store a result computed
from a file edited (and reverted) in between under the key of the unedited file. So the build
reads every input file once, here, hashes exactly those bytes, and writes them into a private
folder that the kernels read instead (``$TARIFF_REPORTS_PARAMS`` and ``$TARIFF_REPORTS_DATA``
point there). Symbolic links are followed, folders included (``Path.rglob`` does not enter a
symlinked folder in Python 3.11), and a link cycle is entered once. Only regular files are
read: a FIFO, socket or device is skipped (validation refuses it with one line).

The package's own code is not copied: the kernels import it from where it is installed. Its
hash is taken at the start of the build and again before a result is stored
(:func:`code_digest`); a result is not stored if the code changed while it ran.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from analysis.inputs.paths import DATA_ENV, PACKAGE_DIR, PARAMS_ENV, data_folder, params_layers

# Bump when the stored layout or what a key covers changes.
FORMAT = "tariff-reports-cache-2"
# Libraries whose version can change an executed notebook's outputs.
LIBRARIES = (
    "tariff-reports",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "altair",
    "vl-convert-python",
    "papermill",
    "nbformat",
    "nbclient",
    "ipykernel",
    "ipython",
    "jupytext",
)
# Run specs only name notebooks and parameters, which every run key covers directly.
_PARAMS_SKIP = ("reports/",)
# Scenarios are read into ``Inputs.scenarios`` only: the law a build's kernels share is not.
_SCENARIOS = "scenarios/"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _regular_files(root: Path, skipped: list[Path] | None = None) -> Iterator[tuple[str, Path]]:
    """(relative posix path, path) of every regular file under ``root``, sorted, following
    symbolic links (each real folder entered once, so a link cycle ends); what is not a
    regular file (a FIFO, a dangling link) is appended to ``skipped``."""
    seen: set[str] = set()
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            path = Path(folder) / name
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    if skipped is not None:
                        skipped.append(path)
                    continue  # a FIFO would block for ever; validation names it
            except OSError:
                if skipped is not None:
                    skipped.append(path)
                continue  # a dangling link
            found.append((path.relative_to(root).as_posix(), path))
    return iter(sorted(found))


def read_tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every regular file under ``root`` (links followed) by relative path, read once."""
    return {
        relative: path.read_bytes()
        for relative, path in _regular_files(root)
        if not relative.startswith(skip)
    }


def _digest_files(digest: hashlib._Hash, label: str, files: Mapping[str, bytes]) -> None:
    digest.update(f"\0{label}\0{len(files)}".encode())
    for relative in sorted(files):
        data = files[relative]
        digest.update(f"\0{relative}\0{len(data)}\0".encode())
        digest.update(data)


def code_digest() -> str:
    """The hash of the interpreter, the libraries that shape outputs and the ``analysis`` code
    (Python sources and templates)."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(f"\0python {sys.version}\0".encode())
    for name in LIBRARIES:
        digest.update(f"\0{name}=={_version(name)}".encode())
    code = {
        relative: data
        for relative, data in read_tree(PACKAGE_DIR).items()
        if relative.endswith(".py") or relative.startswith("pipeline/templates/")
    }
    _digest_files(digest, "analysis", code)
    return digest.hexdigest()


def _digests(code: str, params: Mapping[str, bytes], data: Mapping[str, bytes]) -> tuple[str, str]:
    """(the digest of the code, params and data; the law's: the same without the scenarios)."""
    digest = hashlib.sha256(code.encode())
    _digest_files(digest, "params", params)
    _digest_files(digest, "data", data)
    law = hashlib.sha256(f"law\0{code}".encode())
    _digest_files(law, "params", {k: v for k, v in params.items() if not k.startswith(_SCENARIOS)})
    _digest_files(law, "data", data)
    return digest.hexdigest(), law.hexdigest()


@dataclass(frozen=True)
class InputsSnapshot:
    """The params folder (run specs excluded) and the shipped data, as bytes, and the hash of
    them with the code: the part of every run's cache key that the runs of a build share."""

    params: Mapping[str, bytes]
    data: Mapping[str, bytes]
    code: str  # code_digest() when the snapshot was taken
    digest: str
    # The same without the scenarios: what the law (data, measures, line lists) is read from,
    # the scope of the results the build's kernels share (``analysis.inputs.shared``).
    law_digest: str = ""
    # Where the files were read from, so that an error found in the build's copy names the
    # user's file: each params file's path in its layer, the top params layer (where a missing
    # file is looked for last), the data folder; and whether every file there was a regular
    # file (a FIFO or a dangling link is left out of the copy, and only the user's folder
    # shows validation what is wrong with it).
    origins: Mapping[str, Path] = field(default_factory=dict, compare=False)
    top: Path | None = None
    data_dir: Path | None = None
    complete: bool = True

    @classmethod
    def take(
        cls,
        params: Path | None = None,
        data_dir: Path | None = None,
        user_files: Mapping[str, bytes] | None = None,
    ) -> InputsSnapshot:
        """Read the inputs; ``user_files`` (the user's files the runs name, already read by
        their checks, under ``user_files/`` names) join the params folder, so the kernels read
        these private copies and the digest covers their bytes."""
        # The layered view (a user's folder over the shipped one), as the kernels read it.
        params_files: dict[str, bytes] = {}
        origins: dict[str, Path] = {}
        skipped: list[Path] = []
        layers = params_layers(params)
        for layer in layers:
            root = layer.resolve()
            odd: list[Path] = []
            for relative, path in _regular_files(root, odd):
                if not relative.startswith(_PARAMS_SKIP):
                    params_files[relative] = path.read_bytes()
                    origins[relative] = path
            skipped += [
                p for p in odd if not p.relative_to(root).as_posix().startswith(_PARAMS_SKIP)
            ]
        data_root = (data_dir or data_folder()).resolve()
        data_files = {
            relative: path.read_bytes() for relative, path in _regular_files(data_root, skipped)
        }
        params_files |= dict(user_files or {})
        code = code_digest()
        return cls(
            params_files,
            data_files,
            code,
            *_digests(code, params_files, data_files),
            origins=origins,
            top=layers[-1].resolve(),
            data_dir=data_root,
            complete=not skipped,
        )

    def with_user_files(self, user_files: Mapping[str, bytes]) -> InputsSnapshot:
        """This snapshot with ``user_files`` (``user_files/`` names) in its params folder, its
        digests those :meth:`take` gives with them."""
        params = dict(self.params) | dict(user_files)
        digest, law = _digests(self.code, params, self.data)
        return dataclasses.replace(self, params=params, digest=digest, law_digest=law)


def write_tree(files: Mapping[str, bytes], root: Path) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``; refuse a path that escapes it."""
    base = root.resolve()
    for relative, data in files.items():
        target = (base / relative).resolve()
        if base not in target.parents:
            raise ValueError(f"file outside its folder: {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


class MaterializedSnapshot:
    """A snapshot written into a private temporary folder for local kernels; removed on close."""

    def __init__(self, snapshot: InputsSnapshot) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tariff-reports-inputs-"))
        try:
            write_tree(snapshot.params, self.root / "params")
            write_tree(snapshot.data, self.root / "data")
        except BaseException:
            self.close()
            raise

    def add(self, user_files: Mapping[str, bytes]) -> None:
        """Write ``user_files`` (``user_files/`` names) into the copy's params folder."""
        write_tree(user_files, self.root / "params")

    def env(self) -> dict[str, str]:
        """The environment variables that make a kernel read the snapshot."""
        return {PARAMS_ENV: str(self.root / "params"), DATA_ENV: str(self.root / "data")}

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> MaterializedSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
