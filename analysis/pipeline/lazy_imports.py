"""Defer expensive optional imports that nothing in a report uses until they are called.

``jsonschema`` (imported by Altair in every kernel, and by nbformat in the builder) imports
``rfc3987_syntax`` when it is installed, only to offer an "iri" format checker; importing it
builds a Lark grammar, about 1 s of CPU per process (jsonschema issue #1428). Nothing in a build
checks that format, and the ``jupyter`` meta package pulls it in, so instead of uninstalling it
we put a stand-in module in ``sys.modules`` whose functions load the real module on first call:
the checker keeps working, and a process that never calls it never pays for the grammar.

Kernels load this module as an IPython extension (``load_ipython_extension``), before any cell.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

#: module name → the names other modules import from it (``from m import name``).
DEFERRED: dict[str, tuple[str, ...]] = {"rfc3987_syntax": ("is_valid_syntax",)}


class DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is really used."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(load(self.__name__), attr)


def load(name: str) -> types.ModuleType:
    """The real module ``name``, imported now if a stand-in was holding its place."""
    module = sys.modules.get(name)
    if isinstance(module, DeferredModule):
        del sys.modules[name]
        try:
            module = importlib.import_module(name)
        except BaseException:
            sys.modules[name] = module  # keep the stand-in; the next call tries again
            raise
    return module if module is not None else importlib.import_module(name)


def _forwarder(name: str, attr: str) -> Callable[..., Any]:
    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(load(name), attr)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = attr
    return forward


def defer(name: str, attrs: tuple[str, ...]) -> bool:
    """Put a stand-in for ``name`` in ``sys.modules``; False if it is imported or missing."""
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return False
    stand_in = DeferredModule(name, f"deferred import of {name} (analysis.pipeline.lazy_imports)")
    for attr in attrs:
        setattr(stand_in, attr, _forwarder(name, attr))
    sys.modules[name] = stand_in
    return True


def install() -> list[str]:
    """Defer every module in :data:`DEFERRED`; return the names deferred now."""
    return [name for name, attrs in DEFERRED.items() if defer(name, attrs)]


def load_ipython_extension(ipython: object) -> None:
    """IPython extension hook: kernels started by the build load this before the first cell."""
    install()
