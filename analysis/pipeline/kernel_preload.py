"""What every report kernel imports, imported once by the build's fork server.

Each report's kernel is forked from a worker that the fork server forked (``warm_kernel``), so
a kernel that starts with these modules already imported skips about 1.2 s of imports (pandas,
Altair, IPython, ipykernel and the ``analysis`` layers below ``pipeline``) and the kernel
application's own imports. Importing runs no report code: no data are read, no cache is filled
and no thread or socket is started (so forking afterwards is safe); module-level state that a
notebook changes lives in the kernel, a copy that the next report never sees.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
import pkgutil
import sys

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


# glibc's mallopt parameters (malloc.h) and the values the fork server sets for its workers
# and kernels: freed memory is kept for the next allocation instead of being returned to the
# system and faulted in again, page by page (a kernel reads its shared results, a 15 MB
# pickle each, copied and unpickled, several times in a report).
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MALLOC_SETTINGS = (
    # Allocations up to 32 MiB (glibc's largest) come from the heap, not from a fresh mapping
    # that is unmapped when freed; fixed (glibc otherwise raises it as it frees).
    (M_MMAP_THRESHOLD, 32 << 20),
    # The top of the heap is returned to the system only when 256 MiB of it are free.
    (M_TRIM_THRESHOLD, 256 << 20),
    # The heap grows by 16 MiB more than asked for (fewer growths).
    (M_TOP_PAD, 16 << 20),
)


def keep_freed_memory() -> bool:
    """Apply :data:`MALLOC_SETTINGS` to this process's C allocator (and so to every process
    forked from it); False where it is not glibc's (nothing changes). What a kernel computes
    does not depend on where its memory comes from: only the page faults and system time of
    giving it back and taking it again do."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return all(mallopt(param, value) == 1 for param, value in MALLOC_SETTINGS)


MALLOC_KEPT = keep_freed_memory()  # first: the imports' own allocations fault less, too
PRELOADED = preload()
# What the preload made lives as long as the process, and in every worker and kernel forked
# from it: frozen, Python's full collections in a kernel no longer scan the ~180,000 objects
# of the libraries (~0.1 s of CPU a report). Not collected first: a full collection here found
# 3 objects of garbage and cost ~0.07 s before the first worker could be forked.
gc.freeze()
