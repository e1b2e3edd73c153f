"""What every bot runtime shares, whichever chat library receives the updates: the outbox
sender and the tick scheduler around a Core, the webhook secret rule, and a small aiohttp
webhook endpoint that checks ``X-Telegram-Bot-Api-Secret-Token``."""
from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Protocol

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Core
from bot.channel import Channel
from bot.outbox import OutboxSender
from bot.scheduler import build_scheduler
from bot.settings import Settings
from services import update_expiry
from services.tick import run_tick
from storage.uow import UnitOfWork, UowFactory

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]


class Startable(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def run_until_cancelled(runtime: Startable) -> None:
    """Start, serve until the task is cancelled (Ctrl-C, SIGTERM), then stop cleanly."""
    await runtime.start()
    try:
        await asyncio.Event().wait()
    finally:
        await runtime.stop()


def webhook_secret(settings: Settings) -> str:
    """The webhook secret; webhook mode without one is refused."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise ValueError("GONGZHI_WEBHOOK_SECRET is required in webhook mode")
    return secret


async def run_scheduled_jobs(uow_factory: UowFactory, *, update_ttl: timedelta = update_expiry.DEFAULT_TTL) -> None:
    """Digests, rectification-item deadlines and the quarterly ranking: each
    asks the database what is due and writes outbox rows (deduplicated), in a
    transaction of its own so one failing job does not hold up the others.
    Processed-update ids older than ``update_ttl`` are forgotten."""
    from services import digest_schedule, ranking, rectification_tick

    jobs: list[Callable[[UnitOfWork], Awaitable[int]]] = [
        digest_schedule.run_scheduled, rectification_tick.run_scheduled, ranking.run_scheduled,
        functools.partial(update_expiry.run_scheduled, ttl=update_ttl),
    ]
    for job in jobs:
        try:
            async with uow_factory() as uow:
                await job(uow)
                await uow.commit()
        except Exception:
            log.exception("scheduled job %s failed", getattr(job, "__module__", None) or job)


class Background:
    """The outbox sender (its RateLimiter is the one flood budget, shared with the direct
    replies of the Pipeline) and the APScheduler tick, for one running bot."""

    def __init__(self, core: Core, channel: Channel, *, scheduler: bool = True) -> None:
        self.core = core
        self.sender = OutboxSender(core.uow_factory, channel, tz=core.settings.timezone)
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
            await run_tick(self.core.uow_factory)
            await run_scheduled_jobs(self.core.uow_factory,
                                     update_ttl=timedelta(days=self.core.settings.processed_update_days))
        self.sender.wake()

    async def stop_tick(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
            async with self._ticking:
                pass

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop the tick, then let the sender finish (claimed rows not started go back)."""
        await self.stop_tick()
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=timeout)
            self._task = None


async def serve_webhook(settings: Settings, on_update: OnUpdate,
                        path: str = WEBHOOK_PATH) -> web.AppRunner:
    """An aiohttp server on settings.webhook_listen:webhook_port answering POST ``path``:
    401 without the right secret header, 400 for a body that is not a JSON object, else the
    update goes to ``on_update`` and the answer is 200. Stop it with ``runner.cleanup()``."""
    secret = webhook_secret(settings)

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="Unauthorized")
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400, text="Bad Request")
        if not isinstance(data, dict):
            return web.Response(status=400, text="Bad Request")
        await on_update(data)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post(path, handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
