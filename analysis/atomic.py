"""Atomic file output: readers only ever see a complete old file or a complete new one.

Every final report file is produced by writing a uniquely named temporary file in the *same*
directory (so ``os.replace`` is a rename on one filesystem, hence atomic) and renaming it over
the final name. Temporary names start with :data:`TEMP_PREFIX` (hidden, and a name no user file
has) and end in a random part and ``.tmp``, so that globs and the index ignore them, two builds
writing into one folder never share a temporary file, and a sweep of a killed build's leftovers
(:func:`is_our_temporary`) can never touch a user's own file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

TEMP_PREFIX = ".tariff-reports-partial."
TEMP_MARK = ".tmp"
# mkstemp's random part is 8 characters of [a-z0-9_].
_OURS = re.compile(re.escape(TEMP_PREFIX) + r".*\.[a-z0-9_]{8}" + re.escape(TEMP_MARK) + r"[.\w]*")


def is_our_temporary(name: str) -> bool:
    """True for a file name :func:`temp_path` makes, and for no other name a user would pick."""
    return _OURS.fullmatch(name) is not None


def temp_path(final: Path, suffix: str | None = None) -> Path:
    """Create (empty) and return a unique temporary file next to ``final``.

    The name is ``<TEMP_PREFIX><final stem>.<random>.tmp<suffix>``; ``suffix`` defaults to the
    final suffix, kept last because papermill warns unless its output ends in ``.ipynb``.
    """
    end = TEMP_MARK + (suffix if suffix is not None else final.suffix)
    prefix = f"{TEMP_PREFIX}{final.stem}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=end, dir=final.parent)
    os.close(fd)
    return Path(name)


def discard(path: Path | None) -> None:
    """Remove a temporary file if it is still there (cleanup must never raise)."""
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def atomic_write_bytes(final: Path, data: bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``final`` atomically and return ``final``. ``durable=False`` skips
    the fsync, for scratch files whose reader checks a checksum and recomputes what fails it
    (a crash of the machine may then leave a torn file, never a wrong value)."""
    tmp = temp_path(final)
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            # Without fsync a crash after the rename could leave an empty file under the final name.
            if durable:
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
