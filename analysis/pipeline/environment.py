"""The environment report kernels run in."""

from __future__ import annotations

import os

from analysis.inputs.paths import PACKAGE_DIR


def kernel_env() -> dict[str, str]:
    """The caller's environment for kernels, with this ``analysis`` first on the path."""
    env = dict(os.environ)
    # The kernel must import the same analysis package as the builder (stamp, summary).
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_DIR.parent), env.get("PYTHONPATH", "")) if p
    )
    # Quiets debugpy's "frozen modules" warning that every Python 3.11 kernel prints.
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env
