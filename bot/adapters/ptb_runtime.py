"""The python-telegram-bot runtime (GONGZHI_ADAPTER=ptb): the same Pipeline, outbox sender
and tick as the aiogram runtime (bot/background.py); PTB only fetches updates (polling or
our webhook endpoint) and makes the Bot API calls (ptb_adapter.py)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.adapters.bot_api import BotApi
from bot.adapters.polling import Poller
from bot.adapters.ptb_adapter import PtbApp, PtbChannel, build_application, to_incoming
from bot.adapters.telegram_webhook import ALLOWED_UPDATES, serve_webhook, webhook_secret
from bot.app import Core, build_core, open_database, seed_policies
from bot.background import Background
from bot.outbox import OutboxSender
from bot.ratelimit import RateLimiter
from bot.serving import run_until_signalled, serving_parts, wind_down
from bot.settings import Settings
from storage.clock import Clock

log = logging.getLogger(__name__)


class PtbRuntime:
    """The running bot on PTB: polling (or webhook), outbox sender and tick. The same public
    shape as AiogramRuntime: start(), stop(), run_forever(), .core, .sender."""

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
        if settings.webhook_url:
            webhook_secret(settings)  # refuse a webhook without a secret before connecting
        self.settings, self.clock, self.auto_upgrade = settings, clock, auto_upgrade
        self.with_scheduler = scheduler
        self.limiter = limiter  # None: the flood limits Telegram applies
        self.stopped = asyncio.Event()
        self.core: Core | None = None
        self.app: PtbApp | None = None
        self.background: Background | None = None
        self._runner: web.AppRunner | None = None
        self._engine: AsyncEngine | None = None
        self._polling: Poller | None = None

    @property
    def sender(self) -> OutboxSender:
        assert self.background is not None, "not started"
        return self.background.sender

    async def start(self) -> None:
        """Connect and run; a failure part-way stops what was started and re-raises."""
        s = self.settings
        assert s.bot_token is not None
        self._engine = await open_database(s, auto_upgrade=self.auto_upgrade)
        try:
            self.app = app = build_application(s.bot_token.get_secret_value(), s.telegram_api_base)
            await app.initialize()  # getMe
            self.core = core = build_core(s, self._engine, clock=self.clock)
            await seed_policies(core.uow_factory)
            self.serving = sv = serving_parts(s, core, limiter=self.limiter, ticking=self.with_scheduler)
            self.api = BotApi(s.telegram_api_base, s.bot_token.get_secret_value())
            self.channel = PtbChannel(app.bot, self.api)
            self.background, self.pipeline = sv.wire(core, self.channel, scheduler=self.with_scheduler)
            app.add_handler(TypeHandler(Update, self._on_update))
            app.add_error_handler(self._on_error)
            await app.start()
            self.background.start()
            if s.webhook_url:
                self._runner = await serve_webhook(
                    s, self._feed, accepting=lambda: self.pipeline.accepting, monitor=sv.monitor
                )
                await app.bot.set_webhook(
                    s.webhook_url, secret_token=webhook_secret(s), allowed_updates=ALLOWED_UPDATES
                )
            else:  # our poller (bot/adapters/polling.py): confirmed only once handled
                if s.metrics_port is not None:
                    self._runner = await sv.monitor.serve(s.metrics_listen, s.metrics_port)
                await app.bot.delete_webhook(drop_pending_updates=False)
                self.pipeline.defer_sent = True
                self._polling = Poller(self._fetch, self._handle, after_batch=self.pipeline.flush_sent)
                self._polling.start()
        except BaseException:
            await self.stop()
            raise

    async def _fetch(self, offset: int | None) -> tuple[Update, ...]:
        assert self.app is not None
        got = await self.app.bot.get_updates(
            offset=offset, timeout=timedelta(seconds=10), allowed_updates=ALLOWED_UPDATES
        )
        return tuple(got)

    async def _handle(self, update: Update) -> None:
        inc = to_incoming(update)
        if inc is not None:
            await self.pipeline(inc)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inc = to_incoming(update)
        if inc is not None:
            await self.pipeline(inc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)

    async def _feed(self, data: dict[str, Any]) -> None:
        """A webhook update, handled before the webhook answers (so a failure or a shutdown
        makes Telegram deliver it again)."""
        assert self.app is not None
        update = Update.de_json(data, self.app.bot)
        if update is not None:
            await self._handle(update)

    async def _stop_intake(self) -> None:
        if self._polling is not None:
            await self._polling.stop()
            self._polling = None

    async def graceful(self) -> None:
        """SIGTERM: stop taking updates, finish those in hand, flush the outbox (bounded)."""
        await wind_down(self.settings, getattr(self, "pipeline", None), self.background, self._stop_intake)

    async def stop(self) -> None:
        if self.background is not None:
            await self.background.stop_tick()
        app = self.app
        if self._polling is not None:
            await self._polling.stop()
            self._polling = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if app is not None and app.running:
            await app.stop()  # handles what was fetched before returning
        if self.background is not None:
            await self.background.stop()
        if app is not None:
            await app.shutdown()
            self.app = None
        if hasattr(self, "api"):
            await self.api.close()
        if hasattr(self, "serving"):
            await self.serving.close()
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
        self.stopped.set()

    async def run_forever(self) -> None:
        """Start, serve until SIGTERM / Ctrl-C (then stop gracefully) or cancellation, stop."""
        await run_until_signalled(self.start, self.graceful, self.stop)
