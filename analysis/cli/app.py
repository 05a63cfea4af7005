"""The ``tariff-reports`` command line (also ``python -m analysis``).

One parser, one error handler: bad input prints one line naming the file, the key, what was
expected and what was found, and exits with code 2; no traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis import __version__
from analysis.cli import law, model, reports
from analysis.cli.user_inputs import add_params_dir, use_params_dir
from analysis.inputs.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_FAILED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tariff-reports",
        description="What US tariffs do to trade, with Japan as the flagship case.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_params_dir(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True)
    for commands in (law, model, reports):
        commands.register(sub)
    return parser


def ends_the_process() -> bool:
    """True in the real command line (``tariff-reports``, ``python -m analysis``): when
    :func:`main` returns, the process exits."""
    script = Path(sys.argv[0]).name if sys.argv else ""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return script == "tariff-reports" or getattr(spec, "name", None) == "analysis.__main__"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    finally:
        if ends_the_process():
            # The process ends now: its objects need no cycle collection, which the
            # interpreter's shutdown would otherwise run over every module loaded (pandas,
            # Altair, nbconvert: ~0.4-0.8 s of CPU after the last line is printed). Atexit
            # handlers and the flushing of files still run.
            gc.freeze()


def _run(argv: Sequence[str] | None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here: KeyboardInterrupt
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        use_params_dir(args)
        return func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`... --json | head`): say so once, and keep Python from
        # complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(
            "error: (stdout): expected a reader for the output, found a closed pipe",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        # A full disk or a folder that turned read-only mid-command: one line, not a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
