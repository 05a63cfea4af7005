"""The kernel client a build worker runs its report through: ready when the kernel is.

jupyter_client's ``wait_for_ready`` asks the kernel for its info until it answers on the shell
channel with IOPub connected, then reads IOPub until it has been silent for 0.2 s, discarding
what came (the kernel-info request's own "busy" and "idle" status). Every report's kernel paid
those 0.2 s idle before its first cell: with 22 reports on 2 cores, ~2.2 s of a build's wall.
nbclient keeps only the messages whose parent is the request of the cell it runs, so what the
silence discarded would be skipped anyway: the executed notebook is the same.
"""

from __future__ import annotations

import math
import time
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient

#: How long a reply may take before the request is sent again, and IOPub's first message (that
#: proves it connected), as in jupyter_client.
REPLY_WAIT_S = 1.0
IOPUB_WAIT_S = 0.2


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready at the kernel's first answer with IOPub
    connected (no wait for IOPub's silence after it)."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (math.inf if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=REPLY_WAIT_S)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply" and await self._iopub_connected():
                    self._handle_kernel_info_reply(msg)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _iopub_connected(self) -> bool:
        """Whether a message arrives on IOPub (the status of the request just answered)."""
        try:
            await self.iopub_channel.get_msg(timeout=IOPUB_WAIT_S)
        except Empty:
            return False
        return True
