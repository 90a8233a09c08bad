"""A bound on concurrent password hashing, so a sign-in flood cannot starve signed-in users (item 5).

Each Argon2 check costs tens of milliseconds of CPU and 64 MiB. Run from the thread pool that
also serves every page and API call, 16 parallel sign-ins took every core and every thread:
signed-in requests waited up to 8 s. Here a sign-in first waits, in the event loop and holding
no thread, for one of a few slots (about half the cores); only then does it take a thread to
hash. If too many are already waiting, it is refused at once (429) instead of queueing forever.

The hashing threads are the gate's own (not the shared pool's) and run at a lower CPU priority
(Linux applies `nice` per thread, and Argon2's lane threads inherit it), so when the cores are
busy, the kernel serves signed-in requests first; sign-ins get what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from wso.services.errors import TooManyRequests

T = TypeVar("T")
QUEUE_PER_SLOT: Final = 8
HASHING_NICENESS: Final = 10  # added to the process's nice value for the hashing threads


def _lower_priority() -> None:
    """Runs in each hashing thread as it starts: a lower CPU priority for this thread only (Linux)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not permitted: the bound still holds
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class Busy(TooManyRequests):
    """Too many sign-ins are waiting already: try again in a moment."""


def slots() -> int:
    """WSO_HASH_CONCURRENCY, else half the cores (at least one)."""
    configured = os.environ.get("WSO_HASH_CONCURRENCY")
    if configured:
        return max(1, int(configured))
    return max(1, (os.cpu_count() or 2) // 2)


class HashGate:
    """A semaphore awaited in the event loop (holding no thread), with a bounded queue."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._semaphore = asyncio.Semaphore(size)
        self._waiting = 0
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="wso-hash", initializer=_lower_priority)

    async def run(self, work: Callable[..., T], /, **kwargs: object) -> T:
        if self._waiting >= self.size * QUEUE_PER_SLOT:
            raise Busy("too many sign-ins at once; try again in a moment")
        self._waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self._waiting -= 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads, functools.partial(work, **kwargs))
        finally:
            self._semaphore.release()


# One gate per event loop (an asyncio semaphore belongs to one loop; tests run several apps and loops).
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, HashGate] = weakref.WeakKeyDictionary()


def gate() -> HashGate:
    loop = asyncio.get_running_loop()
    found = _GATES.get(loop)
    if found is None:
        found = _GATES[loop] = HashGate(slots())
    return found


async def gated(work: Callable[..., T], /, **kwargs: object) -> T:
    """Runs `work(**kwargs)` (which hashes a password) within the gate."""
    return await gate().run(work, **kwargs)
