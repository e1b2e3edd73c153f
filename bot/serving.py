"""What every runtime (aiogram, PTB) builds around the core to serve for real: coordination
between processes (Redis when GONGZHI_REDIS_URL is set, else in-process), the monitor
(/healthz, /metrics), the tick lease, and the graceful stop on SIGTERM.

SIGTERM / Ctrl-C: stop taking updates (the webhook answers 503 so Telegram retries them
later, polling stops fetching), finish the updates in hand, let the outbox deliver what is
due, each within GONGZHI_SHUTDOWN_SECONDS, then stop and exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot import gc_tuning
from bot.app import Core, Pipeline
from bot.background import Background
from bot.coordination import ChatLocks, RedisChatLocks, RedisRateLimiter, connect
from bot.monitor import Monitor
from bot.ratelimit import RateLimiter, SendLimits
from bot.settings import Settings
from storage.lease import TickLease

log = logging.getLogger(__name__)


@dataclass
class Serving:
    limiter: Any
    locks: Any
    monitor: Monitor
    lease: TickLease
    redis: Any = None

    def wire(self, core: Core, channel: Any, *, scheduler: bool) -> tuple[Background, Pipeline]:
        """The background (outbox sender, tick) and the update pipeline of one runtime, both
        on these serving parts (the same on every adapter)."""
        background = Background(
            core, channel, scheduler=scheduler, limiter=self.limiter, lease=self.lease, monitor=self.monitor
        )
        pipeline = Pipeline(
            core,
            channel,
            wake=background.sender.wake,
            limiter=background.sender.limiter,
            locks=self.locks,
            monitor=self.monitor,
        )
        return background, pipeline

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
            self.redis = None


def serving_parts(settings: Settings, core: Core, *, limiter: Any = None, ticking: bool = True) -> Serving:
    """``limiter``: a given flood limiter (the throughput bench lifts the limits), else
    Telegram's limits, in Redis when configured."""
    monitor = Monitor(core.uow_factory, settings.tick_seconds, ticking=ticking)
    core.dispatcher.on_error = monitor.errors.inc
    redis = connect(settings.redis_url) if settings.redis_url else None
    # GONGZHI_FLOOD_LIMITS=off: a Bot API server that enforces none (the fake one in tests)
    limits = SendLimits.unlimited() if settings.flood_limits == "off" else None
    if redis is not None:
        limiter = limiter or RedisRateLimiter(redis, limits, on_hold=monitor.on_hold)
        locks: Any = RedisChatLocks(redis)
    else:
        limiter = limiter or RateLimiter(limits, on_hold=monitor.on_hold)
        locks = ChatLocks()
    return Serving(limiter, locks, monitor, TickLease(core.engine), redis)


async def wind_down(
    settings: Settings,
    pipeline: Pipeline | None,
    background: Background | None,
    stop_intake: Callable[[], Awaitable[None]],
) -> None:
    """The graceful part of a stop: no new updates, the ones in hand finished, the outbox
    flushed as far as the bound allows."""
    bound = settings.shutdown_seconds
    if pipeline is not None:
        pipeline.close()
    await stop_intake()
    if pipeline is not None and not await pipeline.drained(bound):
        log.warning("stopping with updates still in hand after %.0f s", bound)
    if background is not None:
        await background.stop_tick()
        await background.flush(bound)


async def run_until_signalled(
    start: Callable[[], Awaitable[None]],
    graceful: Callable[[], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
) -> None:
    """Start, serve until SIGTERM or SIGINT (then wind down gracefully) or until cancelled,
    then stop."""
    loop = asyncio.get_running_loop()
    signalled = asyncio.Event()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, signalled.set)
            installed.append(sig)
    try:
        await start()
        gc_tuning.settle()  # a serving process: start-up's objects are not walked again
        await signalled.wait()
        log.info("signal received: stopping")
        await graceful()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        await stop()
