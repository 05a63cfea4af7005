"""Where the package finds its data and parameter files.

``$TARIFF_REPORTS_PARAMS`` chooses the params folder (a user's own, or a build's private
snapshot); ``$TARIFF_REPORTS_DATA`` the data folder (set by a build for its kernels, so that
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


def data_folder() -> Path:
    """The data folder: ``$TARIFF_REPORTS_DATA`` if set (now), else the shipped one."""
    return Path(os.environ.get(DATA_ENV) or SHIPPED_DATA_DIR).resolve()


def params_dir() -> Path:
    """The ``params/`` folder: ``$TARIFF_REPORTS_PARAMS`` if set, else the repository's."""
    override = os.environ.get(PARAMS_ENV)
    return Path(override).resolve() if override else PROJECT_DIR / "params"
