"""python-telegram-bot (PTB 22) adapter, the optional alternative to aiogram
(GONGZHI_ADAPTER=ptb, extra `ptb`): how PTB's objects are built, how its exceptions map to
SendError kinds, and PTB updates → Incoming. The runtime is beside it in ptb_runtime.py."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
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
from telegram.ext import Application, ApplicationBuilder
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.telegram_channel import Keyboard, TelegramChannel
from bot.adapters.telegram_updates import update_to_incoming
from bot.channel import SendError
from handlers.types import Incoming

# PTB 22 warns whenever it builds a RetryAfter unless retry_after is a timedelta (an opt-in
# that PTB reads from the environment at that moment, so setting it here is early enough).
os.environ.setdefault("PTB_TIMEDELTA", "1")
PtbApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(token: str, api_base: str) -> PtbApp:
    """A PTB Application on `api_base` (Telegram or the fake), without PTB's JobQueue (our
    tick does that) and with updates handled concurrently (the Dispatcher orders per chat)."""
    base = api_base.rstrip("/")
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .job_queue(None)
        .concurrent_updates(True)
        .build()
    )


class PtbChannel(TelegramChannel):
    """Telegram through python-telegram-bot's Bot."""

    def errors(self) -> AbstractContextManager[None]:
        return _errors()

    def keyboard(self, rows: Keyboard) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
        )

    def upload(self, filename: str, data: bytes) -> InputFile:
        return InputFile(data, filename=filename)

    def command_menu(
        self, pairs: list[tuple[str, str]], chat_id: int | str
    ) -> tuple[list[BotCommand], BotCommandScopeChat]:
        return [BotCommand(c, d) for c, d in pairs], BotCommandScopeChat(chat_id)

    def album(self, file_ids: list[str], caption: str | None = None) -> list[InputMediaPhoto]:
        return [InputMediaPhoto(p, caption=caption if i == 0 else None) for i, p in enumerate(file_ids)]


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
