"""Registry and read-only inspection helpers of FakeBotApi (a mixin over World)."""

from __future__ import annotations

import copy

from sandbox.fakeapi.account import AccountMethods
from sandbox.fakeapi.model import Json
from sandbox.fakeapi.state import World


class InspectionMixin:
    world: World
    account: AccountMethods

    # ---- registry and inspection ----------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
        started: bool = True,
    ) -> Json:
        return self.world.add_user(user_id, first_name, username, language_code, last_name, started)

    def add_group(
        self,
        chat_id: int,
        title: str,
        is_forum: bool = False,
        members: list[int] | None = None,
        type: str = "supergroup",
        username: str | None = None,
    ) -> Json:
        return self.world.add_group(chat_id, title, is_forum, members or [], type, username)

    def chats(self) -> list[Json]:
        return [chat.summary() for chat in self.world.chats.values()]

    def messages(self, chat_id: int, thread_id: int | None = None) -> list[Json]:
        chat = self.world.chats[chat_id]
        return [
            rec.view()
            for mid, rec in sorted(chat.messages.items())
            if thread_id is None or rec.message.get("message_thread_id") == thread_id
        ]

    def last_bot_message(self, chat_id: int, thread_id: int | None = None) -> Json | None:
        bot_id = self.world.bot_user["id"]
        found = [m for m in self.messages(chat_id, thread_id) if m["from"]["id"] == bot_id]
        return found[-1] if found else None

    def topics(self, chat_id: int) -> list[Json]:
        return list(self.world.chats[chat_id].topics.values())

    def file_bytes(self, file_id: str) -> bytes:
        return self.world.files[file_id].data

    def events_since(self, seq: int = 0, chat_id: int | None = None) -> list[Json]:
        return self.world.events_since(seq, chat_id)

    @property
    def callback_answers(self) -> list[Json]:
        return self.world.callback_answers

    @property
    def bot_user(self) -> Json:
        return dict(self.world.bot_user)

    @property
    def pending_updates(self) -> list[Json]:
        return [copy.deepcopy(p.update) for p in self.world.pending]

    @property
    def webhook(self) -> Json:
        return dict(self.account.webhook)
