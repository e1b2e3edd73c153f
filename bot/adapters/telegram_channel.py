"""The Channel for Telegram, whichever library makes the Bot API calls: the
order of a reply's parts (generated images, photos or an album, then the text
fitted and split at 4096 UTF-16 units with the buttons on its last part, see
bot/telegram_text.py), edits that ignore "not modified", callback answers, forum topics.
A library adapter supplies only how its objects are built and how its exceptions map to
SendError kinds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from bot.channel import SendError, Sent
from bot.telegram_text import CALLBACK_ANSWER_LIMIT, TOPIC_NAME_LIMIT, clip, message_texts
from handlers.types import Reply
from locales import Msg, render

Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)


class TelegramChannel:
    name = "telegram"

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    # -- what a library adapter provides ---------------------------------------------------------
    def errors(self) -> AbstractContextManager[None]:
        """A context that re-raises the library's exceptions as SendError."""
        raise NotImplementedError

    def keyboard(self, rows: Keyboard) -> Any:
        raise NotImplementedError

    def upload(self, filename: str, data: bytes) -> Any:
        raise NotImplementedError

    def album(self, file_ids: list[str]) -> list[Any]:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    def _markup(self, reply: Reply, locale: str) -> Any:
        if not reply.buttons:
            return None
        return self.keyboard([[(render(locale, b.label), b.data) for b in row] for row in reply.buttons])

    def _parts(self, reply: Reply) -> Iterator[tuple[str, Any]]:
        for filename, data in reply.files:
            yield "photo", self.upload(filename, data)
        if len(reply.photos) == 1:
            yield "photo", reply.photos[0]
        elif reply.photos:
            yield "album", self.album(reply.photos[:10])

    async def send(
        self, chat_id: str, replies: list[Reply], locale: str, thread_id: int | None = None
    ) -> list[Sent]:
        out: list[Sent] = []
        for reply in replies:
            with self.errors():
                for kind, media in self._parts(reply):
                    if kind == "photo":
                        m = await self.bot.send_photo(chat_id, media, message_thread_id=thread_id)
                        out.append(Sent(m.message_id, reply))
                    else:
                        ms = await self.bot.send_media_group(chat_id, media, message_thread_id=thread_id)
                        out.extend(Sent(m.message_id, reply) for m in ms)
                chunks = message_texts(locale, reply.text)
                for i, chunk in enumerate(chunks):
                    markup = self._markup(reply, locale) if i == len(chunks) - 1 else None
                    m = await self.bot.send_message(
                        chat_id, chunk, reply_markup=markup, message_thread_id=thread_id
                    )
                    out.append(Sent(m.message_id, reply))
        return out

    async def edit(self, chat_id: str, message_id: int, reply: Reply, locale: str) -> None:
        texts = message_texts(locale, reply.text)
        if len(texts) > 1:  # one message cannot hold it: the caller sends it anew instead
            raise SendError("permanent", "Bad Request: message is too long")
        text = texts[0]
        try:
            with self.errors():
                await self.bot.edit_message_text(
                    text=text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=self._markup(reply, locale),
                )
        except SendError as err:
            if "not modified" not in err.description.lower():
                raise

    async def answer_callback(self, callback_id: str, text: Msg | None, alert: bool, locale: str) -> None:
        with self.errors():
            await self.bot.answer_callback_query(
                callback_id,
                text=clip(render(locale, text), CALLBACK_ANSWER_LIMIT) if text else None,
                show_alert=alert,
            )

    async def create_topic(self, chat_id: str, name: str) -> int:
        with self.errors():
            topic = await self.bot.create_forum_topic(chat_id, clip(name, TOPIC_NAME_LIMIT))
        return int(topic.message_thread_id)
