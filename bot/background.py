"""What runs beside every bot runtime, whichever chat library receives the updates: the
outbox sender, the APScheduler tick (SLA reminders and escalations) and the scheduled jobs
(digests, rectification-item deadlines, the quarterly ranking)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Core
from bot.channel import Channel
from bot.monitor import Monitor
from bot.outbox import OutboxSender, RetryPolicy
from bot.scheduler import build_scheduler
from services import digest_schedule, duty_tick, privacy, ranking, rectification_tick, update_expiry
from services.tick import run_tick
from storage.lease import TickLease
from storage.queries import ops
from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)
SCHEDULED_JOBS: tuple[Callable[[UnitOfWork], Awaitable[int]], ...] = (
    digest_schedule.run_scheduled,
    rectification_tick.run_scheduled,
    ranking.run_scheduled,
    update_expiry.run_scheduled,
    privacy.run_scheduled,  # PIPL retention: closed tickets' personal fields
)


async def run_scheduled_jobs(uow_factory: UowFactory) -> None:
    """Digests, rectification-item deadlines, the quarterly ranking, forgetting old update
    ids and erasing personal data past retention: each asks the database what is due and
    writes outbox rows (deduplicated), in a transaction of its own so one failing job does
    not hold up the others."""
    for job in SCHEDULED_JOBS:
        try:
            async with uow_factory() as uow:
                await job(uow)
                await uow.commit()
        except Exception:
            log.exception("scheduled job %s failed", job.__module__)


class Background:
    """The outbox sender (its RateLimiter is the one flood budget, shared with the direct
    replies of the Pipeline) and the APScheduler tick, for one running bot."""

    def __init__(
        self,
        core: Core,
        channel: Channel,
        *,
        scheduler: bool = True,
        limiter: Any = None,
        lease: TickLease | None = None,
        monitor: Monitor | None = None,
    ) -> None:
        self.core = core
        self.lease = lease  # None: this process always ticks (tests, the sandbox)
        self.monitor = monitor
        self.sender = OutboxSender(
            core.uow_factory,
            channel,
            renderers=core.renderers,
            limiter=limiter,
            retry=RetryPolicy(lease=core.settings.outbox_lease_seconds),
        )
        self.with_scheduler = scheduler
        self.scheduler: AsyncIOScheduler | None = None
        self._stop = asyncio.Event()
        self._ticking = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Call inside the running loop."""
        self._task = asyncio.create_task(self.sender.run(self._stop), name="outbox")
        if self.with_scheduler:
            self.scheduler = build_scheduler(self.tick, self.core.settings.tick_seconds)
            self.scheduler.start()

    async def tick(self) -> None:
        async with self._ticking:  # stop_tick() waits for a tick in flight
            if self.monitor is not None:
                self.monitor.ticked()
            if not await self._hold_lease():
                return
            await run_tick(self.core.uow_factory)
            await duty_tick.run(self.core.uow_factory)
            await run_scheduled_jobs(self.core.uow_factory)
        self.sender.wake()

    async def _hold_lease(self) -> bool:
        """Whether this process runs the tick now (another process may hold it)."""
        if self.lease is None:
            return True
        try:
            held = await self.lease.acquire()
        except Exception:
            log.exception("the tick lease could not be checked")
            held = False
        if self.monitor is not None:
            self.monitor.leader.set(1 if held else 0)
        return held

    async def flush(self, timeout: float) -> bool:
        """Let the sender deliver what is due now, for at most ``timeout`` seconds; True when
        nothing due is left."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            async with self.core.uow_factory() as uow:
                due = await ops.outbox_due(uow, uow.clock.now())
            if due == 0:
                return True
            if loop.time() >= deadline:
                log.warning("shutting down with %d notifications still due", due)
                return False
            self.sender.wake()
            await asyncio.sleep(min(0.1, max(0.0, deadline - loop.time())))

    async def stop_tick(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
            async with self._ticking:
                pass

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop the tick, then let the sender finish (claimed rows not started go back)."""
        await self.stop_tick()
        if self.lease is not None:
            await self.lease.release()
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=timeout)
            self._task = None
