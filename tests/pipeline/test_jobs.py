"""Jobs and executions cross process boundaries: they pickle, and the builder never needs
papermill to make or read them."""

from __future__ import annotations

import pickle
import subprocess
import sys

from analysis.pipeline.jobs import Execution


def test_an_execution_survives_the_pipe() -> None:
    execution = Execution("demo", 1.5, None, 250.0)
    assert pickle.loads(pickle.dumps(execution)) == execution


def test_the_builder_side_imports_no_notebook_machinery() -> None:
    code = (
        "import sys; import analysis.pipeline.build, analysis.pipeline.jobs, "
        "analysis.pipeline.workers; print(sorted({'papermill', 'jupyter_client', 'nbclient'} "
        "& set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
