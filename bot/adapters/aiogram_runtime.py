"""The aiogram runtime (the default adapter): the bot on Telegram's Bot API (or any server
speaking it), long polling by default (bot/adapters/polling.py: an update is confirmed only once it was
handled), a webhook when GONGZHI_WEBHOOK_URL is set; the outbox
sender and the tick run beside it (bot/background.py)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import bot.adapters.aiogram_models  # noqa: F401  # isort: skip (first: aiogram's models built when used)
from aiogram.types import Update
from aiohttp import web

from bot.adapters.aiogram_adapter import AiogramChannel, build_dispatcher, make_bot, to_incoming
from bot.adapters.bot_api import BotApi
from bot.adapters.polling import Poller
from bot.adapters.telegram_webhook import ALLOWED_UPDATES, serve_webhook, webhook_secret
from bot.app import Core, build_core, open_database, seed_policies
from bot.background import Background
from bot.outbox import OutboxSender
from bot.ratelimit import RateLimiter
from bot.serving import run_until_signalled, serving_parts, wind_down
from bot.settings import Settings
from storage.clock import Clock

log = logging.getLogger(__name__)


class AiogramRuntime:
    """The running bot on aiogram: polling (or webhook), outbox sender and tick."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        auto_upgrade: bool = False,
        scheduler: bool = True,
        limiter: RateLimiter | None = None,
    ) -> None:
        if settings.bot_token is None:
            raise ValueError("a bot token is needed")
        self.settings = settings
        self.clock = clock
        self.auto_upgrade = auto_upgrade
        self.with_scheduler = scheduler
        self.limiter = limiter  # None: the flood limits Telegram applies
        self.stopped = asyncio.Event()
        self.core: Core | None = None
        self.background: Background | None = None
        self._polling: Poller | None = None
        self._runner: web.AppRunner | None = None

    @property
    def sender(self) -> OutboxSender:
        assert self.background is not None
        return self.background.sender

    async def start(self) -> None:
        s = self.settings
        assert s.bot_token is not None
        engine = await open_database(s, auto_upgrade=self.auto_upgrade)
        self.bot = make_bot(s.bot_token.get_secret_value(), s.telegram_api_base)
        try:
            await self.bot.get_me()  # the token works before anything else starts
            self.core = core = build_core(s, engine, clock=self.clock)
            await seed_policies(core.uow_factory)
        except BaseException:
            await self.bot.session.close()
            await engine.dispose()
            raise
        self.serving = sv = serving_parts(s, core, limiter=self.limiter, ticking=self.with_scheduler)
        self.api = BotApi(s.telegram_api_base, s.bot_token.get_secret_value())
        self.channel = AiogramChannel(self.bot, self.api)
        self.background, self.pipeline = sv.wire(core, self.channel, scheduler=self.with_scheduler)
        self.dp = build_dispatcher(self.pipeline)
        self.background.start()
        if s.webhook_url:
            await self._start_webhook()
        else:
            if s.metrics_port is not None:
                self._runner = await sv.monitor.serve(s.metrics_listen, s.metrics_port)
            await self.bot.delete_webhook(drop_pending_updates=False)
            self.pipeline.defer_sent = True
            self._polling = Poller(self._fetch, self._on_update, after_batch=self.pipeline.flush_sent)
            self._polling.start()

    async def _fetch(self, offset: int | None) -> list[Update]:
        return await self.bot.get_updates(offset=offset, timeout=10, allowed_updates=ALLOWED_UPDATES)

    async def _on_update(self, update: Update) -> None:
        inc = to_incoming(update)
        if inc is not None:
            await self.pipeline(inc)

    async def tick(self) -> None:
        assert self.background is not None
        await self.background.tick()

    async def _start_webhook(self) -> None:
        s = self.settings
        secret = webhook_secret(s)

        async def feed(data: dict[str, Any]) -> None:  # handled before the webhook answers
            await self.dp.feed_raw_update(self.bot, data)

        self._runner = await serve_webhook(
            s, feed, accepting=lambda: self.pipeline.accepting, monitor=self.serving.monitor
        )
        await self.bot.set_webhook(s.webhook_url or "", secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def _stop_polling(self) -> None:
        if self._polling is not None:
            await self._polling.stop()
            self._polling = None

    async def graceful(self) -> None:
        """SIGTERM: stop taking updates, finish those in hand, flush the outbox (bounded)."""
        await wind_down(self.settings, getattr(self, "pipeline", None), self.background, self._stop_polling)

    async def stop(self) -> None:
        if self.background is not None:
            await self.background.stop_tick()
        await self._stop_polling()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.background is not None:
            await self.background.stop()
        if hasattr(self, "api"):
            await self.api.close()
        if hasattr(self, "bot"):
            await self.bot.session.close()
        if hasattr(self, "serving"):
            await self.serving.close()
        if self.core is not None:
            await self.core.engine.dispose()
        self.stopped.set()

    async def run_forever(self) -> None:
        """Start, serve until SIGTERM / Ctrl-C (then stop gracefully) or cancellation, stop."""
        await run_until_signalled(self.start, self.graceful, self.stop)
