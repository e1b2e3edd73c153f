"""A chat harness: people send messages and press buttons; the real
dispatcher, delivery and outbox sender run; a recording channel keeps what
each chat sees, rendered in its reader's language."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.app import Pipeline, build_core
from bot.channel import SendError, Sent
from bot.outbox import OutboxSender
from bot.ratelimit import SendLimits
from bot.settings import Settings
from bot.telegram_text import TEXT_LIMIT, message_texts, utf16_len
from handlers.types import Incoming, Reply
from locales import Msg, render
from storage.clock import FrozenClock


@dataclass
class Shown:
    message_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, data)
    photos: list[str] = field(default_factory=list)
    thread_id: int | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (filename, bytes) of images
    key: str = ""  # the message key (locales), so tests need not match the copy
    locale: str = ""  # the catalogue it was rendered in
    params: dict[str, Any] = field(default_factory=dict)
    button_keys: list[str] = field(default_factory=list)

    def data_for(self, label_part: str) -> str:
        for label, data in self.buttons:
            if label_part in label:
                return data
        raise AssertionError(f"no button containing {label_part!r} in {self.buttons}")


class RecordingChannel:
    name = "telegram"

    def __init__(self) -> None:
        self.chats: dict[str, list[Shown]] = {}
        self.answers: list[tuple[str, str | None, bool]] = []
        self.answer_log: list[tuple[str, str | None, bool, str | None]] = []  # … and the message key
        self.topics: dict[str, dict[int, str]] = {}
        self._ids = itertools.count(1000)
        self.blocked: set[str] = set()
        self.menus: dict[str, list[str]] = {}  # each chat's command menu
        # anything Telegram would refuse (a text over 4096 UTF-16 units, a blank text,
        # callback data over 64 bytes, an answer over 200 units); tests assert it stays empty
        self.violations: list[str] = []

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    def _check(self, text: str, reply: Reply) -> None:
        if utf16_len(text) > TEXT_LIMIT or not text.strip():
            self.violations.append(f"text of {utf16_len(text)} UTF-16 units ({reply.text.key})")
        for row in reply.buttons:
            for b in row:
                if not 1 <= len(b.data.encode()) <= 64:
                    self.violations.append(f"callback data {b.data!r}")

    def _shown(
        self,
        reply: Reply,
        locale: str,
        message_id: int,
        thread: int | None,
        text: str | None = None,
        last: bool = True,
    ) -> Shown:
        text = text if text is not None else render(locale, reply.text)
        self._check(text, reply)
        return Shown(
            message_id,
            text,
            [(render(locale, b.label), b.data) for row in reply.buttons for b in row] if last else [],
            list(reply.photos),
            thread,
            list(reply.files),
            key=reply.text.key,
            locale=locale,
            params=dict(reply.text.params),
            button_keys=[b.label.key for row in reply.buttons for b in row] if last else [],
        )

    async def send(
        self, chat_id: str, replies: list[Reply], locale: str, thread_id: int | None = None
    ) -> list[Sent]:
        if chat_id in self.blocked:
            raise SendError("permanent", "Forbidden: bot was blocked by the user")
        out = []
        for r in replies:  # as on Telegram: split at 4096 UTF-16 units, buttons on the last part
            texts = message_texts(locale, r.text)
            for i, text in enumerate(texts):
                mid = next(self._ids)
                shown = self._shown(r, locale, mid, thread_id, text, last=i == len(texts) - 1)
                self.chats.setdefault(chat_id, []).append(shown)
                out.append(Sent(mid, r))
        return out

    async def edit(self, chat_id: str, message_id: int, reply: Reply, locale: str) -> None:
        msgs = self.chats.setdefault(chat_id, [])
        texts = message_texts(locale, reply.text)
        if len(texts) > 1:
            raise SendError("permanent", "Bad Request: message is too long")
        for i, m in enumerate(msgs):
            if m.message_id == message_id:
                msgs[i] = self._shown(reply, locale, message_id, m.thread_id, texts[0])
                return
        raise SendError("permanent", "Bad Request: message to edit not found")

    async def set_commands(self, chat_id: str, commands: list[tuple[str, Msg]], locale: str) -> None:
        self.menus[chat_id] = [name for name, _ in commands]

    async def drop_buttons(self, chat_id: str, message_id: int) -> None:
        for m in self.chats.get(chat_id, []):
            if m.message_id == message_id:
                m.buttons, m.button_keys = [], []
                return
        raise SendError("permanent", "Bad Request: message to edit not found")

    async def answer_callback(self, callback_id: str, text: Msg | None, alert: bool, locale: str) -> None:
        self.answers.append((callback_id, render(locale, text) if text else None, alert))
        self.answer_log.append(
            (callback_id, render(locale, text) if text else None, alert, text.key if text else None)
        )

    async def create_topic(self, chat_id: str, name: str) -> int:
        tid = next(self._ids)
        self.topics.setdefault(chat_id, {})[tid] = name
        return tid


class Harness:
    def __init__(self, engine: object, clock: FrozenClock, settings: Settings | None = None) -> None:
        self.settings = settings or Settings(database_url="sqlite+aiosqlite://", bot_token=None)
        self.clock = clock
        self.core = build_core(self.settings, engine, clock=clock)  # type: ignore[arg-type]
        self.channel = RecordingChannel()
        # flood limits are the sender's own business (tests/storage/test_outbox.py); here they would only wait
        self.sender = OutboxSender(
            self.core.uow_factory, self.channel, renderers=self.core.renderers, limits=SendLimits.unlimited()
        )
        self.pipeline = Pipeline(self.core, self.channel)
        self._update_ids = itertools.count(1)
        self.users: dict[str, str] = {}
        # the language each person's Telegram client reports (default Chinese)
        self.languages: dict[str, str | None] = {}

    def user(self, name: str) -> str:
        return self.users.setdefault(name, str(100 + len(self.users)))

    def seen(self, name: str) -> list[Shown]:
        return self.channel.chats.get(self.user(name), [])

    def last(self, name: str) -> Shown:
        seen = self.seen(name)
        assert seen, f"{name} has no messages"
        return seen[-1]

    def recent(self, name: str, n: int = 3) -> str:
        """The last n messages of a chat, as one text."""
        return "\n".join(m.text for m in self.seen(name)[-n:])

    def texts(self, name: str) -> list[str]:
        return [m.text for m in self.seen(name)]

    def keys(self, name: str) -> list[str]:
        """The message keys a chat has seen, in order."""
        return [m.key for m in self.seen(name)]

    def answer_keys(self) -> list[str | None]:
        return [k for _, _, _, k in self.channel.answer_log]

    async def feed(self, inc: Incoming) -> None:
        await self.pipeline(inc)
        await self.pipeline.drained(30)  # the staff cards are refreshed beside the update
        while await self.sender.drain_once():
            pass

    async def say(
        self,
        name: str,
        text: str | None = None,
        *,
        photos: tuple[str, ...] = (),
        location: tuple[float, float] | None = None,
        reply_to: int | None = None,
        update_id: int | None = None,
        chat_id: str | None = None,
        thread_id: int | None = None,
        language: str | None = None,
        unsupported: str | None = None,
    ) -> int:
        uid = update_id if update_id is not None else next(self._update_ids)
        user = self.user(name)
        chat = chat_id or user
        await self.feed(
            Incoming(
                channel="telegram",
                update_id=uid,
                user_id=user,
                user_name=name,
                chat_id=chat,
                chat_type="private" if chat == user else "supergroup",
                message_id=uid,
                text=text,
                photos=photos,
                location=location,
                reply_to_message_id=reply_to,
                thread_id=thread_id,
                language=language if language is not None else self.languages.get(name, "zh-hans"),
                unsupported=unsupported,
            )
        )
        return uid

    async def press(
        self,
        name: str,
        data: str,
        *,
        message_id: int | None = None,
        update_id: int | None = None,
        chat_id: str | None = None,
    ) -> tuple[str | None, bool]:
        """Press a button; returns the callback answer (text, alert)."""
        uid = update_id if update_id is not None else next(self._update_ids)
        user = self.user(name)
        chat = chat_id or user
        if message_id is None:
            owner = [m for m in self.channel.chats.get(chat, []) if any(d == data for _, d in m.buttons)]
            message_id = owner[-1].message_id if owner else 1
        before = len(self.channel.answers)
        await self.feed(
            Incoming(
                channel="telegram",
                update_id=uid,
                user_id=user,
                user_name=name,
                chat_id=chat,
                chat_type="private" if chat == user else "supergroup",
                message_id=message_id,
                callback_data=data,
                callback_id=f"cb{uid}",
                language=self.languages.get(name, "zh-hans"),
            )
        )
        if len(self.channel.answers) > before:
            _, text, alert = self.channel.answers[-1]
            return text, alert
        return None, False
