"""The build's kernel client is ready at the kernel's first answer, and discards nothing.

The client talks to channels that hand out given messages (no kernel: which messages a real
kernel's IOPub delivers first depends on when its subscription connects)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from queue import Empty
from typing import Any

import pytest

from analysis.pipeline.execute import IPCKernelManager
from analysis.pipeline.ready_client import ReadyKernelClient

REPLY = {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}}
BUSY = {"msg_type": "status", "content": {"execution_state": "busy"}}
IDLE = {"msg_type": "status", "content": {"execution_state": "idle"}}


class _Channel:
    """Hands out its messages in order (``None``: nothing came in time, Empty), then Empty."""

    def __init__(self, *messages: dict[str, Any] | None) -> None:
        self.messages = list(messages)

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        message = self.messages.pop(0) if self.messages else None
        if message is None:
            raise Empty
        return message


class _Client(ReadyKernelClient):
    """The build's client on given channels, counting its kernel-info requests."""

    def __init__(self, shell: _Channel, iopub: _Channel, alive: bool = True) -> None:
        super().__init__()
        self.channels = {"shell": shell, "iopub": iopub}
        self.alive = alive
        self.requests = 0

    @property
    def shell_channel(self) -> Any:
        return self.channels["shell"]

    @property
    def iopub_channel(self) -> Any:
        return self.channels["iopub"]

    def kernel_info(self) -> str:
        self.requests += 1
        return str(self.requests)

    async def _async_is_alive(self) -> bool:
        return self.alive


def _ready(client: _Client, timeout: float | None = 60) -> None:
    with ThreadPoolExecutor(1) as pool:  # a loop of its own: another test may leave one here
        pool.submit(asyncio.run, client.wait_for_ready(timeout=timeout)).result()


def test_ready_at_the_answer_with_iopub_connected_leaving_the_rest_on_iopub() -> None:
    """jupyter_client's client then reads IOPub until it has been silent for 0.2 s (every
    report's kernel idled that long before its first cell): here the "idle" status is left."""
    client = _Client(_Channel(REPLY), _Channel(BUSY, IDLE))
    _ready(client)
    assert client.requests == 1
    assert client.iopub_channel.messages == [IDLE]


def test_asks_again_until_the_kernel_answers_with_iopub_connected() -> None:
    # No answer to the first request; the second's answer comes before IOPub has connected
    # (nothing on it); the third's with IOPub connected.
    client = _Client(_Channel(None, REPLY, REPLY), _Channel(None, BUSY))
    _ready(client)
    assert client.requests == 3
    assert client.iopub_channel.messages == []


def test_a_kernel_that_died_before_answering_is_an_error() -> None:
    client = _Client(_Channel(), _Channel(), alive=False)
    with pytest.raises(RuntimeError, match="died"):
        _ready(client)


def test_a_kernel_that_does_not_answer_in_time_is_an_error() -> None:
    client = _Client(_Channel(), _Channel())
    with pytest.raises(RuntimeError, match="didn't respond"):
        _ready(client, timeout=0)


def test_the_builds_kernel_manager_makes_this_client() -> None:
    assert isinstance(IPCKernelManager(kernel_name="python3").client(), ReadyKernelClient)
