"""What every report kernel imports, imported once by the build's fork server.

Each report's kernel is forked from a worker that the fork server forked (``warm_kernel``), so
a kernel that starts with these modules already imported skips about 1.2 s of imports (pandas,
Altair, IPython, ipykernel and the ``analysis`` layers below ``pipeline``) and the kernel
application's own imports. Importing runs no report code: no data are read, no cache is filled
and no thread or socket is started (so forking afterwards is safe); module-level state that a
notebook changes lives in the kernel, a copy that the next report never sees.
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil

from analysis.pipeline import lazy_imports

# Libraries the kernel process and the notebooks import (IPython.display and pandas in every
# notebook, Altair through analysis.report, vl_convert for the charts' SVG fallback).
KERNEL_LIBRARIES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    # What the kernel application imports as it starts (its debugger imports debugpy, ~0.5 s).
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.core.logger",
    "IPython.extensions.storemagic",
    "sqlite3",
    "IPython.display",
    "numpy",
    "pandas",
    "altair",
    "vl_convert",
    # What the kernels imported anyway, in every report, after the fork (~0.08 s each): Altair
    # hands each chart's data to narwhals' pandas backend; tables are pandas' Styler (and its
    # templates), CSV links and ``DataFrame.to_dict``; ipykernel imports psutil to stop the
    # kernel's children at shutdown, tornado's asyncio loop and zmq's garbage collector.
    "narwhals._pandas_like.namespace",
    "narwhals._pandas_like.dataframe",
    "narwhals._pandas_like.series",
    "narwhals._pandas_like.group_by",
    "narwhals._pandas_like.selectors",
    "narwhals._interchange.dataframe",
    "narwhals.stable.v1._namespace",
    "pandas.io.formats.style",
    "pandas.io.formats.csvs",
    "pandas.io.formats.string",
    "pandas.core.methods.to_dict",
    "pandas.core.reshape.reshape",
    "pyarrow.pandas_compat",
    "pyarrow.vendored.version",
    "psutil",
    "tornado.platform.asyncio",
    "zmq.utils.garbage",
)
# The package layers notebooks call into (every module of each).
KERNEL_PACKAGES = (
    "analysis.inputs",
    "analysis.policy",
    "analysis.model",
    "analysis.questions",
    "analysis.report",
)


def preload() -> list[str]:
    """Import :data:`KERNEL_LIBRARIES` and every module of :data:`KERNEL_PACKAGES`; return the
    names imported (a library that is missing is skipped: the kernel reports it)."""
    # As the kernel extension does before any cell: Altair's jsonschema then never builds the
    # rfc3987 grammar.
    lazy_imports.install()
    # As in the kernels' environment (``environment.kernel_env``): debugpy reads it on import.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    names: list[str] = []
    for name in KERNEL_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        names.append(name)
    for package_name in KERNEL_PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            importlib.import_module(info.name)
            names.append(info.name)
    return names


PRELOADED = preload()
# What the preload made lives as long as the process, and in every worker and kernel forked
# from it: frozen (after collecting the garbage of the imports), Python's full collections in
# a kernel no longer scan the ~180,000 objects of the libraries (~0.1 s of CPU a report).
gc.collect()
gc.freeze()
