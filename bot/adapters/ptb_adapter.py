"""python-telegram-bot (PTB 22) runtime: the optional alternative to aiogram
(GONGZHI_ADAPTER=ptb). Same channel interface, same Incoming, same Pipeline, outbox sender
and tick (bot/runtime_common.py); PTB only fetches updates and makes the Bot API calls."""
from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.telegram_channel import Keyboard, TelegramChannel
from bot.adapters.telegram_shapes import update_to_incoming
from bot.app import Core, Pipeline, build_core, open_database, seed_policies
from bot.channel import SendError
from bot.outbox import OutboxSender
from bot.runtime_common import (
    ALLOWED_UPDATES,
    Background,
    run_until_cancelled,
    serve_webhook,
    webhook_secret,
)
from bot.settings import Settings
from handlers.types import Incoming
from storage.clock import Clock

# PTB 22 warns whenever it builds a RetryAfter unless retry_after is a timedelta (an opt-in
# that PTB reads from the environment at that moment, so setting it here is early enough).
os.environ.setdefault("PTB_TIMEDELTA", "1")
log = logging.getLogger(__name__)
PtbApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(token: str, api_base: str) -> PtbApp:
    """A PTB Application on `api_base` (Telegram or the fake), without PTB's JobQueue (our
    tick does that) and with updates handled concurrently (the Dispatcher orders per chat)."""
    base = api_base.rstrip("/")
    return (ApplicationBuilder().token(token).base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
            .job_queue(None).concurrent_updates(True).build())


class PtbChannel(TelegramChannel):
    """Telegram through python-telegram-bot's Bot."""

    def errors(self) -> AbstractContextManager[None]:
        return _errors()

    def keyboard(self, rows: Keyboard) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows])

    def upload(self, filename: str, data: bytes) -> InputFile:
        return InputFile(data, filename=filename)

    def album(self, file_ids: list[str]) -> list[InputMediaPhoto]:
        return [InputMediaPhoto(p) for p in file_ids]


def retry_seconds(err: RetryAfter) -> float:
    """retry_after is an int (legacy) or a timedelta (PTB_TIMEDELTA); read it quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextmanager
def _errors() -> Iterator[None]:
    """Map PTB's exceptions to SendError kinds (BadRequest and TimedOut are NetworkErrors
    in PTB, so the order of the checks matters)."""
    try:
        yield
    except RetryAfter as e:
        raise SendError("retry_after", e.message, retry_seconds(e)) from e
    except (Forbidden, BadRequest, InvalidToken, EndPointNotFound, ChatMigrated) as e:
        raise SendError("permanent", e.message) from e
    except (TelegramError, TimeoutError, OSError) as e:  # NetworkError, TimedOut, 5xx
        raise SendError("transient", str(e)) from e


def to_incoming(update: Update) -> Incoming | None:
    return update_to_incoming(update)


class PtbRuntime:
    """The running bot on PTB: polling (or webhook), outbox sender and tick. The same public
    shape as bot.runtime.BotRuntime: start(), stop(), run_forever(), .core, .sender."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, auto_upgrade: bool = False,
                 scheduler: bool = True) -> None:
        if settings.bot_token is None:
            raise ValueError("a bot token is needed")
        if settings.webhook_url:
            webhook_secret(settings)  # refuse a webhook without a secret before connecting
        self.settings, self.clock, self.auto_upgrade = settings, clock, auto_upgrade
        self.with_scheduler = scheduler
        self.stopped = asyncio.Event()
        self.core: Core | None = None
        self.app: PtbApp | None = None
        self.background: Background | None = None
        self._runner: web.AppRunner | None = None
        self._engine: AsyncEngine | None = None

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
            self.core = core = build_core(s, self._engine, bot_username=app.bot.username or "", clock=self.clock)
            await seed_policies(core.uow_factory)
            self.channel = PtbChannel(app.bot)
            self.background = Background(core, self.channel, scheduler=self.with_scheduler)
            self.pipeline = Pipeline(core, self.channel, wake=self.sender.wake, limiter=self.sender.limiter)
            app.add_handler(TypeHandler(Update, self._on_update))
            app.add_error_handler(self._on_error)
            await app.start()
            self.background.start()
            if s.webhook_url:
                self._runner = await serve_webhook(s, self._feed)
                await app.bot.set_webhook(s.webhook_url, secret_token=webhook_secret(s),
                                          allowed_updates=ALLOWED_UPDATES)
            else:  # deletes any webhook first, keeping pending updates
                assert app.updater is not None
                await app.updater.start_polling(timeout=timedelta(seconds=10), allowed_updates=ALLOWED_UPDATES,
                                                drop_pending_updates=False)
        except BaseException:
            await self.stop()
            raise

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inc = to_incoming(update)
        if inc is not None:
            await self.pipeline(inc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)

    async def _feed(self, data: dict[str, Any]) -> None:
        """A webhook update into PTB's queue (answered 200 once queued, as PTB's own server)."""
        assert self.app is not None
        update = Update.de_json(data, self.app.bot)
        if update is not None:
            await self.app.update_queue.put(update)

    async def stop(self) -> None:
        if self.background is not None:
            await self.background.stop_tick()
        app = self.app
        if app is not None and app.updater is not None and app.updater.running:
            await app.updater.stop()  # one last getUpdates confirms what was fetched
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
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None
        self.stopped.set()

    async def run_forever(self) -> None:
        await run_until_cancelled(self)
