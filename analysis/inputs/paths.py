"""Where the package finds its data and parameter files.

The shipped parameters live in the repository's ``params/``. A user's own folder
(``$TARIFF_REPORTS_PARAMS``, or ``--params-dir`` on the command line, which sets it) is a
*layer* over them: a file in the user's folder replaces the shipped file of the same relative
path, and a new file (a scenario, a measure, a market) is added beside the shipped ones. Run
specs (``reports/``) are not layered: the top layer's are the runs to build. A complete copy
of ``params/`` (a build's private snapshot) is a layer that replaces every file.
``$TARIFF_REPORTS_DATA`` chooses the data folder (set by a build for its kernels, so that
they read the bytes the build hashed: ``analysis.pipeline.snapshot``).
"""

from __future__ import annotations

import os
from pathlib import Path

PARAMS_ENV = "TARIFF_REPORTS_PARAMS"
DATA_ENV = "TARIFF_REPORTS_DATA"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
SHIPPED_DATA_DIR = PACKAGE_DIR / "data"
# The data folder when this module was imported; functions call data_folder(), which reads the
# environment when called (a kernel forked from a warm template gets its environment later).
DATA_DIR = Path(os.environ.get(DATA_ENV) or SHIPPED_DATA_DIR).resolve()
PROJECT_DIR = PACKAGE_DIR.parent
SHIPPED_PARAMS_DIR = PROJECT_DIR / "params"


def data_folder() -> Path:
    """The data folder: ``$TARIFF_REPORTS_DATA`` if set (now), else the shipped one."""
    return Path(os.environ.get(DATA_ENV) or SHIPPED_DATA_DIR).resolve()


def params_dir() -> Path:
    """The top params layer: ``$TARIFF_REPORTS_PARAMS`` if set, else the repository's."""
    override = os.environ.get(PARAMS_ENV)
    return Path(override).resolve() if override else SHIPPED_PARAMS_DIR


def params_layers(top: Path | None = None) -> tuple[Path, ...]:
    """The params folders, lowest first: the shipped one, then ``top`` (default
    :func:`params_dir`) if it is another folder."""
    folder = (top or params_dir()).resolve()
    return (folder,) if folder == SHIPPED_PARAMS_DIR.resolve() else (SHIPPED_PARAMS_DIR, folder)


def is_shipped(path: Path) -> bool:
    """Whether ``path`` is one of the shipped parameter files."""
    return path.resolve().is_relative_to(SHIPPED_PARAMS_DIR.resolve())


def params_file(relative: str, top: Path | None = None) -> Path:
    """``relative`` (e.g. ``elasticities.yaml``) in the highest layer that has it."""
    layers = params_layers(top)
    for folder in reversed(layers):
        if (folder / relative).exists():
            return folder / relative
    return layers[-1] / relative


def params_files(subfolder: str, top: Path | None = None, pattern: str = "*.yaml") -> list[Path]:
    """The files of ``subfolder`` (e.g. ``scenarios``) over every layer, one per name (the
    highest layer's), sorted by name."""
    by_name: dict[str, Path] = {}
    for folder in params_layers(top):
        for path in sorted((folder / subfolder).glob(pattern)):
            by_name[path.name] = path
    return [by_name[name] for name in sorted(by_name)]
