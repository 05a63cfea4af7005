"""Warm kernels: each report's kernel is a fresh process forked from a pre-imported worker.

A kernel started by ``python -m ipykernel_launcher`` spends ~1.6 s starting and ~1.2 s
importing pandas, Altair and ``analysis`` before the first cell of a report runs. The build's
worker processes are forked from a fork server that has already imported all of that
(``kernel_preload``), so each worker, as its first act (no thread or socket exists yet), forks
a *spare* kernel process: a copy of itself that waits, on a pipe, for the command, environment
and folder jupyter_client would have given ``Popen``. When papermill starts the report's kernel,
:class:`ForkedProvisioner` hands them over instead of launching a new interpreter, and the spare
becomes the kernel (``IPKernelApp``, exactly as ``ipykernel_launcher`` runs it).

What stays true:

* one fresh kernel process per report: a spare serves one kernel start, and is forked from the
  worker before any report code runs, so nothing a report does (a module global, an environment
  variable, a ``sys.modules`` entry) can reach another report's kernel;
* the kernel's environment, working folder and arguments are the ones jupyter_client computed
  (with ``JPY_PARENT_PID``), its stdin is empty, it leads its own session (a terminal's Ctrl-C
  does not reach it; the worker stops it by process group), and it dies with its worker
  (``PR_SET_PDEATHSIG`` on Linux; ipykernel's parent poller elsewhere);
* a spare that is never used (no kernel start, or a kernel command that is not this interpreter
  running ``ipykernel_launcher``: then jupyter_client starts the kernel as before) exits as soon
  as its pipe closes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

LAUNCHER_MODULE = "ipykernel_launcher"
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class _Closable(Protocol):
    def close(self) -> None: ...


class SpareKernel:
    """A forked child of this process waiting to become a kernel (or to exit, on EOF)."""

    def __init__(self, pid: int, launch_fd: int) -> None:
        self.pid = pid
        self._launch_fd: int | None = launch_fd

    def launch(self, argv: Sequence[str], env: dict[str, str], cwd: str) -> None:
        """Make the spare run ``ipykernel_launcher`` with ``argv`` in ``env`` and ``cwd``."""
        if self._launch_fd is None:
            raise RuntimeError("this spare kernel was already used")
        data = json.dumps({"argv": list(argv), "env": env, "cwd": cwd}).encode()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._launch_fd, view) :]
        finally:
            self.discard()

    def discard(self) -> None:
        """Close the pipe: a spare that was not launched exits."""
        if self._launch_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._launch_fd)
            self._launch_fd = None


_SPARES: list[SpareKernel] = []
#: Peak resident memory (KiB, Linux) of each kernel of this process, recorded as it is reaped.
PEAK_RSS_KB: list[int] = []
#: CPU seconds (user + system) of each kernel of this process, recorded as it is reaped.
CPU_SECONDS: list[float] = []


def offer(spare: SpareKernel) -> None:
    """Make ``spare`` the kernel of this process's next kernel start."""
    _SPARES.append(spare)


def take() -> SpareKernel | None:
    return _SPARES.pop() if _SPARES else None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent exits; exit now if it already has."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def _kernel_sys_path(env: dict[str, str]) -> list[str]:
    """``sys.path`` as ``python -m ipykernel_launcher`` has it: this interpreter's path without
    the parent's script folder (the launcher removes its own first entry), with ``PYTHONPATH``
    first."""
    first = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    rest = [p for p in sys.path[1:] if p not in first]
    return [*first, *rest]


def _become_kernel(request: dict[str, Any]) -> int:
    """Run the kernel application in this process, as ``ipykernel_launcher`` would."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [str(ipykernel_launcher.__file__), *request["argv"]]
    sys.path[:] = _kernel_sys_path(request["env"])
    # ipykernel reads JPY_PARENT_PID when its class is defined (in the fork server, here long
    # ago): give the kernel its parent as a fresh kernel would find it.
    parent = int(request["env"].get("JPY_PARENT_PID") or 0)
    kernelapp.IPKernelApp.launch_instance(argv=request["argv"], parent_handle=parent)
    return 0


def _stop_control_thread() -> None:
    """Stop and join ipykernel's control thread while its IOPub thread still runs.

    ipykernel's exit handler (``IPKernelApp.close``) stops the IOPub thread first, then joins
    the control thread. A control thread still finishing the shutdown request it has just
    answered flushes its "idle" status through the IOPub thread; stopped, that thread never
    answers, and the flush waits its 10 s timeout while ``close`` waits for it. jupyter_client
    then terminates the kernel after 2.5 s (``shutdown_wait_time`` / 2): measured in 2 to 4 of
    a full build's 22 kernels, ~2.9 s each (posit-dev/positron#7142 reports the same hang).
    Stopped first, the control thread ends once its flush has gone through, and ``close``
    finds it ended."""
    from ipykernel.kernelapp import IPKernelApp

    if not IPKernelApp.initialized():
        return
    thread = IPKernelApp.instance().control_thread
    if thread is not None and thread.is_alive():
        thread.stop()
        thread.join()


def _spare_main(launch_fd: int, parent: int) -> None:
    """The child: wait for the launch request, then become the kernel; never returns."""
    code = 1
    try:
        os.setsid()
        _die_with_parent(parent)
        atexit._clear()  # the parent's exit handlers are not this process's
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a kernel Popen'd by a worker
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        data = _read_all(launch_fd)
        if not data:
            os._exit(0)  # not needed
        code = _become_kernel(json.loads(data))
        _stop_control_thread()
        # IPython's exit handler collects the garbage of the whole heap (~0.15 s of CPU on a
        # report's) for a process that ends next: frozen objects are not scanned.
        gc.freeze()
        atexit._run_exitfuncs()  # the kernel's own (IPython's history, for example)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def fork_spare(inherited: Sequence[_Closable] = ()) -> SpareKernel:
    """Fork a spare kernel now; call it before this process starts any thread.

    ``inherited`` are this process's connections that the kernel must not hold open.
    """
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns to the caller
        os.close(write_fd)
        for connection in inherited:
            with contextlib.suppress(OSError):
                connection.close()
        _spare_main(read_fd, parent)
    os.close(read_fd)
    return SpareKernel(pid, write_fd)


class ForkedProcess:
    """The part of ``subprocess.Popen`` that jupyter_client's provisioner uses, for a child
    forked by this process."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            try:
                pid, status, usage = os.wait4(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: it is gone
                self.returncode = -signal.SIGKILL
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
                    PEAK_RSS_KB.append(usage.ru_maxrss)
                    CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
        return self.returncode

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _is_this_launcher(cmd: Sequence[str]) -> bool:
    """True for ``[this interpreter, "-m", "ipykernel_launcher", ...]``."""
    if len(cmd) < 3 or list(cmd[1:3]) != ["-m", LAUNCHER_MODULE]:
        return False
    try:
        return os.path.samefile(os.path.expanduser(cmd[0]), sys.executable)
    except OSError:
        return False


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, whose kernel is a spare forked ahead of time."""

    spare: SpareKernel | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        spare, self.spare = self.spare, None
        if spare is None or not _is_this_launcher(cmd):
            if spare is not None:
                spare.discard()
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or Path.cwd())
        spare.launch([os.path.expanduser(arg) for arg in cmd[3:]], env, cwd)
        self.process = ForkedProcess(spare.pid)  # type: ignore[assignment]  # Popen-like
        self.pid = self.pgid = spare.pid  # it leads its own session
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        """As jupyter_client's, but no SIGINT while the kernel manager shuts the kernel down.

        jupyter_client interrupts a kernel just before it asks it to shut down. A report kernel
        that has run its notebook is idle or replying, and one caught in a reply logs
        "KeyboardInterrupt caught in kernel" at ERROR level: a build whose every report is ok
        then prints errors. The shutdown request follows, and a kernel that has not exited a
        second later is killed, so the interrupt adds nothing there."""
        parent = getattr(self, "parent", None)
        if signum == signal.SIGINT and getattr(parent, "shutting_down", False):
            return
        await super().send_signal(signum)
