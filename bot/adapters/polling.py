"""Long polling that confirms an update to Telegram only after it was handled.

Telegram forgets every update below the ``offset`` of the next getUpdates call. aiogram's and
PTB's own pollers confirm a batch as soon as they fetched it, so a crash (or a database that
is down) while it is being handled loses it. Here a batch is handled first (concurrently;
the dispatcher keeps each chat in order), and the next offset is the first update that was
not handled: it and everything after it come again (the ones already handled are dropped as
redeliveries, or their unsent replies re-sent). An update that keeps failing for another
reason than the database is confirmed after ``max_failures`` attempts, so one poisoned update
cannot hold up everyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from handlers.dispatch import Unavailable
from storage.faults import database_unavailable

log = logging.getLogger(__name__)
Fetch = Callable[[int | None], Awaitable[Sequence[Any]]]  # offset → updates (with .update_id)
Handle = Callable[[Any], Awaitable[None]]


class Poller:
    def __init__(
        self,
        fetch: Fetch,
        handle: Handle,
        *,
        after_batch: Callable[[], Awaitable[None]] | None = None,
        max_failures: int = 5,
        backoff: tuple[float, float] = (0.5, 5.0),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.fetch, self.handle, self.after_batch = fetch, handle, after_batch
        self.max_failures = max_failures
        self.backoff = backoff
        self.sleep = sleep
        self.offset: int | None = None
        self._failures: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._fetching = False
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="polling")

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop fetching; a batch being handled may finish (its updates then count)."""
        self._stopping = True
        task, self._task = self._task, None
        if task is None:
            return
        if self._fetching:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, timeout)

    async def run(self) -> None:
        log.info("Polling for updates")
        try:
            await self._loop()
        finally:
            log.info("Polling stopped")

    async def _loop(self) -> None:
        delay = self.backoff[0]
        while not self._stopping:
            try:
                self._fetching = True
                batch = await self.fetch(self.offset)
            except asyncio.CancelledError:
                raise
            except Exception as err:
                log.warning("getUpdates failed: %s", err)
                await self.sleep(delay)
                delay = min(self.backoff[1], delay * 2)
                continue
            finally:
                self._fetching = False
            if not batch:
                continue
            if await self.handle_batch(batch):
                delay = self.backoff[0]
            else:  # something is down: do not spin on the same updates
                await self.sleep(delay)
                delay = min(self.backoff[1], delay * 2)

    async def handle_batch(self, batch: Sequence[Any]) -> bool:
        """Handle the updates and move the offset past the ones handled in order; False when
        some update has to come again."""
        ordered = sorted(batch, key=lambda u: int(u.update_id))
        results = await asyncio.gather(*(self._one(u) for u in ordered))
        if self.after_batch is not None:
            await self.after_batch()
        offset = int(ordered[-1].update_id) + 1
        for u, ok in zip(ordered, results, strict=True):
            if not ok:
                offset = int(u.update_id)
                break
        self.offset = offset
        return all(results)

    async def _one(self, update: Any) -> bool:
        uid = int(update.update_id)
        try:
            await self.handle(update)
        except Unavailable:
            return False  # the database is down: keep it until it is back, however long
        except Exception as err:
            if database_unavailable(err):  # lost while sending or recording the replies
                return False
            n = self._failures.get(uid, 0) + 1
            if n < self.max_failures:
                self._failures[uid] = n
                log.exception("update %s failed (attempt %s); it will come again", uid, n)
                return False
            log.exception("update %s failed %s times; confirmed without handling", uid, n)
        self._failures.pop(uid, None)
        return True
