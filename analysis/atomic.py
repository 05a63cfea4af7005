"""Atomic file output: readers only ever see a complete old file or a complete new one.

Every final report file is produced by writing a uniquely named temporary file in the *same*
directory (so ``os.replace`` is a rename on one filesystem, hence atomic) and renaming it over
the final name. Temporary names start with a dot and contain ``.tmp`` so that globs and the index
can ignore them, and two builds writing into one folder never share a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_MARK = ".tmp"


def temp_path(final: Path, suffix: str | None = None) -> Path:
    """Create (empty) and return a unique temporary file next to ``final``.

    The name is ``.<final stem>.<random><suffix>``; ``suffix`` defaults to ``.tmp`` plus the
    final suffix, kept last because papermill warns unless its output ends in ``.ipynb``.
    """
    end = suffix if suffix is not None else TEMP_MARK + final.suffix
    fd, name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=end, dir=final.parent)
    os.close(fd)
    return Path(name)


def discard(path: Path | None) -> None:
    """Remove a temporary file if it is still there (cleanup must never raise)."""
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def atomic_write_bytes(final: Path, data: bytes) -> Path:
    """Write ``data`` to ``final`` atomically and return ``final``."""
    tmp = temp_path(final)
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            # Without fsync a crash after the rename could leave an empty file under the final name.
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; reports are meant to be readable like any other output.
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    except BaseException:
        discard(tmp)
        raise
    return final


def atomic_write_text(final: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``final`` atomically and return ``final``."""
    return atomic_write_bytes(final, text.encode("utf-8"))


def publish(tmp: Path, final: Path) -> Path:
    """Move a finished temporary file into place (fsync first, then atomic rename)."""
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, final)
    return final
