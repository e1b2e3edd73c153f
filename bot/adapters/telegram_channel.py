"""The Channel for Telegram, whichever library makes the Bot API calls: the
order of a reply's parts (generated images, photos or an album, then the text
fitted and split at 4096 UTF-16 units with the buttons on its last part, see
bot/telegram_text.py; photos without buttons carry a short text as their caption, so a
photo never arrives unexplained), edits that ignore "not modified", callback answers, forum
topics. A library adapter supplies only how its objects are built and how its exceptions
map to SendError kinds."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from bot.adapters.bot_api import BotApi
from bot.channel import SendError, Sent
from bot.telegram_text import (
    CALLBACK_ANSWER_LIMIT,
    CAPTION_LIMIT,
    TOPIC_NAME_LIMIT,
    clip,
    message_texts,
    utf16_len,
)
from handlers.types import Reply
from locales import Msg, render

Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)
REMEMBERED = 20_000  # recent messages whose content is kept, to skip identical edits


class TelegramChannel:
    name = "telegram"

    def __init__(self, bot: Any, api: BotApi | None = None) -> None:
        self.bot = bot
        # plain JSON calls for texts, edits, callback answers and topics (None: the library's)
        self.api = api
        # what each recent message shows (text, buttons): an edit to exactly that would be
        # refused by Telegram ("message is not modified"), so it is not sent
        self._shown: OrderedDict[tuple[str, int], tuple[str, Keyboard]] = OrderedDict()

    def _remember(self, chat_id: str, message_id: int, text: str, rows: Keyboard) -> None:
        self._shown[(chat_id, message_id)] = (text, rows)
        self._shown.move_to_end((chat_id, message_id))
        while len(self._shown) > REMEMBERED:
            self._shown.popitem(last=False)

    @staticmethod
    def _rows(reply: Reply | None, locale: str) -> Keyboard:
        if reply is None:
            return []
        return [[(render(locale, b.label), b.data) for b in row] for row in reply.buttons]

    # -- what a library adapter provides ---------------------------------------------------------
    def errors(self) -> AbstractContextManager[None]:
        """A context that re-raises the library's exceptions as SendError."""
        raise NotImplementedError

    def keyboard(self, rows: Keyboard) -> Any:
        raise NotImplementedError

    def upload(self, filename: str, data: bytes) -> Any:
        raise NotImplementedError

    def command_menu(self, pairs: list[tuple[str, str]], chat_id: int | str) -> tuple[list[Any], Any]:
        """The library's BotCommand list and BotCommandScopeChat for a chat."""
        raise NotImplementedError

    def album(self, file_ids: list[str], caption: str | None = None) -> list[Any]:
        """An album; the caption goes on its first photo."""
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    def _markup(self, reply: Reply, locale: str) -> Any:
        if not reply.buttons:
            return None
        return self.keyboard([[(render(locale, b.label), b.data) for b in row] for row in reply.buttons])

    def _markup_json(self, reply: Reply, locale: str) -> dict[str, Any] | None:
        if not reply.buttons:
            return None
        rows = [
            [{"text": render(locale, b.label), "callback_data": b.data} for b in row] for row in reply.buttons
        ]
        return {"inline_keyboard": rows}

    async def _send_text(
        self, chat_id: str, text: str, reply: Reply | None, locale: str, thread: int | None
    ) -> int:
        mid = await self._post_text(chat_id, text, reply, locale, thread)
        self._remember(chat_id, mid, text, self._rows(reply, locale))
        return mid

    async def _post_text(
        self, chat_id: str, text: str, reply: Reply | None, locale: str, thread: int | None
    ) -> int:
        if self.api is not None:
            m = await self.api.call(
                "sendMessage",
                {
                    "chat_id": chat_id,
                    "text": text,
                    "reply_markup": self._markup_json(reply, locale) if reply else None,
                    "message_thread_id": thread,
                },
            )
            return int(m["message_id"])
        with self.errors():
            sent = await self.bot.send_message(
                chat_id,
                text,
                reply_markup=self._markup(reply, locale) if reply else None,
                message_thread_id=thread,
            )
        return int(sent.message_id)

    def _parts(self, reply: Reply) -> Iterator[tuple[str, Any]]:
        for filename, data in reply.files:
            yield "photo", self.upload(filename, data)
        if len(reply.photos) == 1:
            yield "photo", reply.photos[0]
        elif reply.photos:
            yield "album", self.album(reply.photos[:10])

    async def _captioned(self, chat_id: str, reply: Reply, text: str, thread_id: int | None) -> list[Sent]:
        """Photos whose text is their caption: one photo, or an album captioned on its first."""
        with self.errors():
            if len(reply.photos) == 1:
                m = await self.bot.send_photo(
                    chat_id, reply.photos[0], caption=text, message_thread_id=thread_id
                )
                return [Sent(m.message_id, reply)]
            album = self.album(reply.photos[:10], text)
            ms = await self.bot.send_media_group(chat_id, album, message_thread_id=thread_id)
            return [Sent(m.message_id, reply) for m in ms]

    async def send(
        self, chat_id: str, replies: list[Reply], locale: str, thread_id: int | None = None
    ) -> list[Sent]:
        out: list[Sent] = []
        for reply in replies:
            text = render(locale, reply.text)
            if (
                reply.photos and not reply.files and not reply.buttons and utf16_len(text) <= CAPTION_LIMIT
            ):  # longer: its own message
                out.extend(await self._captioned(chat_id, reply, text, thread_id))
                continue
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
                last = i == len(chunks) - 1
                mid = await self._send_text(chat_id, chunk, reply if last else None, locale, thread_id)
                out.append(Sent(mid, reply))
        return out

    async def edit(self, chat_id: str, message_id: int, reply: Reply, locale: str) -> None:
        texts = message_texts(locale, reply.text)
        if len(texts) > 1:  # one message cannot hold it: the caller sends it anew instead
            raise SendError("permanent", "Bad Request: message is too long")
        text, rows = texts[0], self._rows(reply, locale)
        # it shows exactly this already (cards: their fingerprints in the database decide,
        # which also sees edits made by another process)
        if not reply.card and self._shown.get((chat_id, message_id)) == (text, rows):
            return
        try:
            await self._edit_text(chat_id, message_id, text, reply, locale)
            self._remember(chat_id, message_id, text, rows)
        except SendError as err:
            if "not modified" not in err.description.lower():
                raise
            self._remember(chat_id, message_id, text, rows)

    async def _edit_text(self, chat_id: str, message_id: int, text: str, reply: Reply, locale: str) -> None:
        if self.api is not None:
            await self.api.call(
                "editMessageText",
                {
                    "chat_id": chat_id,
                    "message_id": message_id,
                    "text": text,
                    "reply_markup": self._markup_json(reply, locale),
                },
            )
            return
        with self.errors():
            await self.bot.edit_message_text(
                text=text,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=self._markup(reply, locale),
            )

    async def set_commands(self, chat_id: str, commands: list[tuple[str, Msg]], locale: str) -> None:
        """This chat's command menu (BotCommandScopeChat), in the reader's language."""
        pairs = [(name, render(locale, text)[:256]) for name, text in commands]
        menu, scope = self.command_menu(pairs, int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id)
        with self.errors():
            await self.bot.set_my_commands(commands=menu, scope=scope)

    async def drop_buttons(self, chat_id: str, message_id: int) -> None:
        """Take the inline keyboard off a message (its buttons can no longer act)."""
        known = self._shown.get((chat_id, message_id))
        if known is not None and not known[1]:
            return  # it has no buttons already
        try:
            with self.errors():
                await self.bot.edit_message_reply_markup(
                    chat_id=chat_id, message_id=message_id, reply_markup=None
                )
        except SendError as err:
            if "not modified" not in err.description.lower():
                raise
        if known is not None:
            self._remember(chat_id, message_id, known[0], [])

    async def answer_callback(self, callback_id: str, text: Msg | None, alert: bool, locale: str) -> None:
        shown = clip(render(locale, text), CALLBACK_ANSWER_LIMIT) if text else None
        if self.api is not None:
            await self.api.call(
                "answerCallbackQuery",
                {"callback_query_id": callback_id, "text": shown, "show_alert": alert or None},
            )
            return
        with self.errors():
            await self.bot.answer_callback_query(callback_id, text=shown, show_alert=alert)

    async def create_topic(self, chat_id: str, name: str) -> int:
        if self.api is not None:
            topic = await self.api.call(
                "createForumTopic", {"chat_id": chat_id, "name": clip(name, TOPIC_NAME_LIMIT)}
            )
            return int(topic["message_thread_id"])
        with self.errors():
            topic = await self.bot.create_forum_topic(chat_id, clip(name, TOPIC_NAME_LIMIT))
        return int(topic.message_thread_id)
