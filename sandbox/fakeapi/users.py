"""Simulated people: what users do in chats, turned into queued Telegram updates."""

from __future__ import annotations

import copy
import re
import secrets
import time
import zlib
from typing import Any

from sandbox.fakeapi.model import CallbackRecord, ChatState, Json
from sandbox.fakeapi.state import World
from sandbox.fakeapi.textfmt import utf16_len

COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")


class UserSimulator:
    def __init__(self, world: World) -> None:
        self.world = world

    def _chat_for(self, user_id: int, chat_id: int | None) -> tuple[Json, ChatState]:
        user = self.world.user(user_id)
        key = user_id if chat_id is None else chat_id
        chat = self.world.chats.get(key)
        if chat is None:
            raise ValueError(f"unknown chat {key}; call add_user/add_group first")
        if chat.private:
            if chat.id != user_id:
                raise ValueError(f"user {user_id} cannot write in the private chat of {chat.id}")
            if chat.blocked:  # writing again means the user pressed "Restart"
                self.set_blocked(user_id, False)
            chat.started = True
        else:
            chat.members.add(user_id)
        return user, chat

    def _message(
        self,
        user_id: int,
        fields: Json,
        chat_id: int | None,
        reply_to_message_id: int | None,
        message_thread_id: int | None,
    ) -> Json:
        user, chat = self._chat_for(user_id, chat_id)
        if message_thread_id is not None and message_thread_id not in chat.topics:
            raise ValueError(f"chat {chat.id} has no topic {message_thread_id}")
        reply = None
        if reply_to_message_id is not None:
            reply = chat.messages.get(reply_to_message_id)
            if reply is None:
                raise ValueError(f"chat {chat.id} has no message {reply_to_message_id}")
        msg = self.world.add_message(chat, user, fields, thread_id=message_thread_id, reply_to=reply)
        return self.world.queue_update({"message": msg})

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> Json:
        fields: Json = {"text": text}
        if m := COMMAND_RE.match(text):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(m[0])}]
        return self._message(user_id, fields, chat_id, reply_to_message_id, message_thread_id)

    def send_photo(
        self,
        user_id: int,
        data: bytes,
        caption: str | None = None,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> Json:
        fields: Json = {"photo": self.world.store_photo(data)}
        if caption:
            fields["caption"] = caption
        return self._message(user_id, fields, chat_id, reply_to_message_id, message_thread_id)

    def send_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> Json:
        fields = {"location": {"latitude": float(latitude), "longitude": float(longitude)}}
        return self._message(user_id, fields, chat_id, reply_to_message_id, message_thread_id)

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> Json:
        user, chat = self._chat_for(user_id, chat_id)
        rec = chat.messages.get(message_id)
        if rec is None:
            raise ValueError(f"chat {chat.id} has no message {message_id}")
        query_id = str(secrets.randbits(62))
        query: Json = {
            "id": query_id,
            "from": dict(user),
            "message": copy.deepcopy(rec.message),
            "chat_instance": str(zlib.crc32(f"{chat.id}:{user_id}".encode()) * 997),
            "data": callback_data,
        }
        self.world.callbacks[query_id] = CallbackRecord(query, self.world.clock())
        return self.world.queue_update({"callback_query": query})

    def inject_update(self, update: Json) -> Json:
        return self.world.queue_update(update)

    def block(self, user_id: int) -> Json | None:
        return self.set_blocked(user_id, True)

    def unblock(self, user_id: int) -> Json | None:
        return self.set_blocked(user_id, False)

    def set_blocked(self, user_id: int, blocked: bool = True) -> Json | None:
        """Block/unblock the bot as ``user_id``; queues a my_chat_member update when it changes."""
        user = self.world.user(user_id)
        chat = self.world.chats[user_id]
        if chat.blocked == blocked:
            return None
        chat.blocked = blocked
        bot = dict(self.world.bot_user)
        member: dict[str, Any] = {"status": "member", "user": bot}
        kicked: dict[str, Any] = {"status": "kicked", "user": bot, "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        self.world.emit("chat", chat.id, chat=chat.summary())
        return self.world.queue_update(
            {
                "my_chat_member": {
                    "chat": dict(chat.chat),
                    "from": dict(user),
                    "date": int(time.time()),
                    "old_chat_member": old,
                    "new_chat_member": new,
                }
            }
        )
