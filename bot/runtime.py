"""Run the bot on Telegram's Bot API (or any server speaking it) with aiogram:
long polling by default, a webhook when GONGZHI_WEBHOOK_URL is set."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import web

from bot.adapters.aiogram_adapter import AiogramChannel, build_dispatcher, make_bot
from bot.app import Core, Pipeline, build_core, open_database, seed_policies
from bot.outbox import OutboxSender
from bot.scheduler import build_scheduler
from bot.settings import Settings
from services.tick import run_tick
from storage.clock import Clock

log = logging.getLogger(__name__)


class BotRuntime:
    """The running bot: polling (or webhook), outbox sender and tick."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, auto_upgrade: bool = False,
                 scheduler: bool = True) -> None:
        if settings.bot_token is None:
            raise ValueError("a bot token is needed")
        self.settings = settings
        self.clock = clock
        self.auto_upgrade = auto_upgrade
        self.with_scheduler = scheduler
        self.stopped = asyncio.Event()
        self._ticking = asyncio.Lock()
        self.core: Core | None = None
        self._tasks: list[asyncio.Task[Any]] = []

    async def start(self) -> None:
        s = self.settings
        assert s.bot_token is not None
        engine = await open_database(s, auto_upgrade=self.auto_upgrade)
        self.bot = make_bot(s.bot_token.get_secret_value(), s.telegram_api_base)
        me = await self.bot.get_me()
        self.core = core = build_core(s, engine, bot_username=me.username or "", clock=self.clock)
        await seed_policies(core.uow_factory)
        self.channel = AiogramChannel(self.bot)
        self.sender = OutboxSender(core.uow_factory, self.channel, tz=s.timezone)
        self.pipeline = Pipeline(core, self.channel, wake=self.sender.wake, limiter=self.sender.limiter)
        self.dp = build_dispatcher(self.pipeline)
        self._stop_sender = asyncio.Event()
        self._tasks.append(asyncio.create_task(self.sender.run(self._stop_sender), name="outbox"))
        self.scheduler = None
        if self.with_scheduler:
            self.scheduler = build_scheduler(self.tick, s.tick_seconds)
            self.scheduler.start()
        if s.webhook_url:
            await self._start_webhook()
        else:
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._tasks.append(asyncio.create_task(self.dp.start_polling(
                self.bot, handle_signals=False, close_bot_session=False, polling_timeout=10,
                allowed_updates=["message", "callback_query"]), name="polling"))

    async def tick(self) -> None:
        assert self.core is not None
        async with self._ticking:  # stop() waits for a tick in flight
            await run_tick(self.core.uow_factory)
        self.sender.wake()

    async def _start_webhook(self) -> None:
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler

        s = self.settings
        secret = s.webhook_secret.get_secret_value() if s.webhook_secret else None
        if not secret:
            raise ValueError("GONGZHI_WEBHOOK_SECRET is required in webhook mode")
        app = web.Application()
        SimpleRequestHandler(self.dp, self.bot, secret_token=secret).register(app, path="/telegram")
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, s.webhook_listen, s.webhook_port)
        await site.start()
        await self.bot.set_webhook(s.webhook_url or "", secret_token=secret,
                                   allowed_updates=["message", "callback_query"])

    async def stop(self) -> None:
        if getattr(self, "scheduler", None) is not None:
            self.scheduler.shutdown(wait=False)
            async with self._ticking:
                pass
        if getattr(self, "dp", None) is not None and not self.settings.webhook_url:
            try:
                await self.dp.stop_polling()
            except RuntimeError:  # polling had not started yet: nothing to wind down
                for t in self._tasks:
                    if t.get_name() == "polling":
                        t.cancel()
        if getattr(self, "_runner", None) is not None:
            await self._runner.cleanup()
        if hasattr(self, "_stop_sender"):
            self._stop_sender.set()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(t, timeout=5)
        if hasattr(self, "bot"):
            await self.bot.session.close()
        if self.core is not None:
            await self.core.engine.dispose()
        self.stopped.set()

    async def run_forever(self) -> None:
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
