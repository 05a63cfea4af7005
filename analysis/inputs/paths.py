"""Where the package finds its data and parameter files."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent


def params_dir() -> Path:
    """The ``params/`` folder: ``$TARIFF_REPORTS_PARAMS`` if set, else the repository's."""
    override = os.environ.get("TARIFF_REPORTS_PARAMS")
    return Path(override).resolve() if override else PROJECT_DIR / "params"
