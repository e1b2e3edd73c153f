"""aiogram runtime: turns Telegram updates into Incoming, and Replies into
Bot API calls. The default adapter."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

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
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    Update,
)

from bot.adapters.telegram_shapes import update_to_incoming
from bot.channel import SendError, Sent
from bot.textsplit import split_text
from handlers.types import Incoming, Outcome, Reply
from locales import Msg, render

log = logging.getLogger(__name__)
OnIncoming = Callable[[Incoming], Awaitable[Outcome | None]]


def make_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base.rstrip("/")))
    return Bot(token=token, session=session)


class AiogramChannel:
    name = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    def _markup(self, reply: Reply, locale: str) -> InlineKeyboardMarkup | None:
        if not reply.buttons:
            return None
        return InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text=render(locale, b.label), callback_data=b.data) for b in row]
            for row in reply.buttons
        ])

    async def send(self, chat_id: str, replies: list[Reply], locale: str,
                   thread_id: int | None = None) -> list[Sent]:
        out: list[Sent] = []
        for reply in replies:
            with _errors():
                for filename, data in reply.files:
                    m = await self.bot.send_photo(chat_id, BufferedInputFile(data, filename=filename),
                                                  message_thread_id=thread_id)
                    out.append(Sent(m.message_id, reply))
                if len(reply.photos) == 1:
                    m = await self.bot.send_photo(chat_id, reply.photos[0], message_thread_id=thread_id)
                    out.append(Sent(m.message_id, reply))
                elif reply.photos:
                    ms = await self.bot.send_media_group(
                        chat_id, [InputMediaPhoto(media=p) for p in reply.photos[:10]],
                        message_thread_id=thread_id)
                    out.extend(Sent(m.message_id, reply) for m in ms)
                chunks = split_text(render(locale, reply.text))
                for i, chunk in enumerate(chunks):
                    markup = self._markup(reply, locale) if i == len(chunks) - 1 else None
                    m = await self.bot.send_message(chat_id, chunk, reply_markup=markup,
                                                    message_thread_id=thread_id)
                    out.append(Sent(m.message_id, reply))
        return out

    async def edit(self, chat_id: str, message_id: int, reply: Reply, locale: str) -> None:
        text = split_text(render(locale, reply.text))[0]
        try:
            with _errors():
                await self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id,
                                                 reply_markup=self._markup(reply, locale))
        except SendError as err:
            if "not modified" not in err.description:
                raise

    async def answer_callback(self, callback_id: str, text: Msg | None, alert: bool, locale: str) -> None:
        with _errors():
            await self.bot.answer_callback_query(
                callback_id, text=render(locale, text)[:200] if text else None, show_alert=alert)

    async def create_topic(self, chat_id: str, name: str) -> int:
        with _errors():
            topic = await self.bot.create_forum_topic(chat_id, name[:128])
        return topic.message_thread_id


class _errors:
    """Map aiogram's exceptions to SendError kinds."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: object) -> bool:
        if e is None:
            return False
        if isinstance(e, TelegramRetryAfter):
            raise SendError("retry_after", e.message, float(e.retry_after)) from e
        if isinstance(e, (TelegramForbiddenError, TelegramNotFound, TelegramUnauthorizedError)):
            raise SendError("permanent", e.message) from e
        if isinstance(e, TelegramBadRequest):
            raise SendError("permanent", e.message) from e
        if isinstance(e, (TelegramServerError, TelegramNetworkError, TimeoutError, OSError)):
            raise SendError("transient", str(e)) from e
        return False


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
