"""Kernels import the same analysis package as the builder."""

from __future__ import annotations

import os

import pytest

from analysis.inputs.paths import PACKAGE_DIR
from analysis.pipeline.environment import kernel_env


def test_this_package_comes_first_on_the_kernel_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = kernel_env()
    assert env["PYTHONPATH"].split(os.pathsep) == [str(PACKAGE_DIR.parent), "/elsewhere"]
    monkeypatch.delenv("PYTHONPATH")
    assert kernel_env()["PYTHONPATH"] == str(PACKAGE_DIR.parent)
    assert env["PYDEVD_DISABLE_FILE_VALIDATION"] == "1"
