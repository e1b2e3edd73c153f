"""aiogram adapter (the default): how aiogram's objects are built, how its exceptions map
to SendError kinds, and a Dispatcher that turns every update into an Incoming. The runtime
is beside it in aiogram_runtime.py."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager

import bot.adapters.aiogram_models  # noqa: F401  # isort: skip (first: aiogram's models built when used)
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    Update,
)

from bot.adapters.telegram_channel import Keyboard, TelegramChannel
from bot.adapters.telegram_updates import update_to_incoming
from bot.channel import SendError
from handlers.types import Incoming, Outcome

log = logging.getLogger(__name__)
OnIncoming = Callable[[Incoming], Awaitable[Outcome | None]]


def make_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base.rstrip("/")))
    return Bot(token=token, session=session)


class AiogramChannel(TelegramChannel):
    """Telegram through aiogram's Bot."""

    def errors(self) -> AbstractContextManager[None]:
        return _errors()

    def keyboard(self, rows: Keyboard) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in rows
            ]
        )

    def upload(self, filename: str, data: bytes) -> BufferedInputFile:
        return BufferedInputFile(data, filename=filename)

    def command_menu(
        self, pairs: list[tuple[str, str]], chat_id: int | str
    ) -> tuple[list[BotCommand], BotCommandScopeChat]:
        return [BotCommand(command=c, description=d) for c, d in pairs], BotCommandScopeChat(chat_id=chat_id)

    def album(self, file_ids: list[str], caption: str | None = None) -> list[InputMediaPhoto]:
        return [InputMediaPhoto(media=p, caption=caption if i == 0 else None) for i, p in enumerate(file_ids)]


class _errors:
    """Map aiogram's exceptions to SendError kinds."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: object) -> None:
        if e is None:
            return
        if isinstance(e, TelegramRetryAfter):
            raise SendError("retry_after", e.message, float(e.retry_after)) from e
        if isinstance(e, (TelegramForbiddenError, TelegramNotFound, TelegramUnauthorizedError)):
            raise SendError("permanent", e.message) from e
        if isinstance(e, TelegramBadRequest):
            raise SendError("permanent", e.message) from e
        if isinstance(e, (TelegramServerError, TelegramNetworkError, TimeoutError, OSError)):
            raise SendError("transient", str(e)) from e


def to_incoming(update: Update) -> Incoming | None:
    return update_to_incoming(update)


def build_dispatcher(on_incoming: Callable[[Incoming], Awaitable[None]]) -> Dispatcher:
    """An aiogram Dispatcher whose every message and button goes to our handlers."""
    dp = Dispatcher()
    router = Router(name="gongzhi")

    @router.message()
    async def _message(message: Message, event_update: Update) -> None:
        inc = to_incoming(event_update)
        if inc is not None:
            await on_incoming(inc)

    @router.callback_query()
    async def _callback(query: CallbackQuery, event_update: Update) -> None:
        inc = to_incoming(event_update)
        if inc is not None:
            await on_incoming(inc)

    dp.include_router(router)
    return dp
