"""In-memory world of the fake Bot API: users, chats, messages, files, updates, events."""

from __future__ import annotations

import copy
import itertools
import secrets
import time
from collections.abc import Callable
from typing import Any

from sandbox.fakeapi.errors import bad_request
from sandbox.fakeapi.images import image_info
from sandbox.fakeapi.model import (
    CallbackRecord,
    ChatState,
    Json,
    MessageRecord,
    Pending,
    Signal,
    StoredFile,
)

MAX_EVENTS = 10_000


class World:
    def __init__(self, token: str, clock: Callable[[], float]) -> None:
        head = token.split(":", 1)[0]
        self.clock = clock
        self.bot_user: Json = {
            "id": int(head) if head.isdigit() else 123456,
            "is_bot": True,
            "first_name": "Gongzhi Test Bot",
            "username": "gongzhi_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.users: dict[int, Json] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.update_log: dict[int, Json] = {}
        self.pending: list[Pending] = []
        self.next_update_id = 700_000_001
        self.allowed_updates: list[str] | None = None
        self.events: list[Json] = []
        self.seq = 0
        self.callbacks: dict[str, CallbackRecord] = {}
        self.callback_answers: list[Json] = []
        self.updates_changed = Signal()
        self.events_changed = Signal()
        self._ids = itertools.count(1)

    # ---- registry -------------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
        started: bool = True,
    ) -> Json:
        user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value:
                user[key] = value
        self.users[user_id] = user
        chat = {k: v for k, v in user.items() if k in ("id", "first_name", "last_name", "username")}
        self.chats[user_id] = ChatState({**chat, "type": "private"}, {user_id}, started=started)
        self.emit("chat", user_id, chat=self.chats[user_id].summary())
        return dict(user)

    def add_group(
        self,
        chat_id: int,
        title: str,
        is_forum: bool = False,
        members: list[int] | tuple[int, ...] = (),
        type: str = "supergroup",
        username: str | None = None,
    ) -> Json:
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups can be forums")
        chat: Json = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        self.chats[chat_id] = ChatState(chat, set(members))
        self.emit("chat", chat_id, chat=self.chats[chat_id].summary())
        return dict(chat)

    def user(self, user_id: int) -> Json:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}; call add_user first")
        return self.users[user_id]

    def chat(self, chat_id: Any) -> ChatState:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for state in self.chats.values():
                if state.chat.get("username", "").lower() == chat_id[1:].lower():
                    return state
        elif chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        elif isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        raise bad_request("chat not found")

    # ---- messages -------------------------------------------------------------------------
    def add_message(
        self,
        chat: ChatState,
        sender: Json,
        fields: Json,
        *,
        thread_id: int | None = None,
        reply_to: MessageRecord | None = None,
        keyboard: Json | None = None,
    ) -> Json:
        if thread_id is None and reply_to is not None:
            thread_id = reply_to.message.get("message_thread_id")
        msg: Json = {
            "message_id": chat.next_id,
            "from": dict(sender),
            "chat": dict(chat.chat),
            "date": int(time.time()),
        }
        chat.next_id += 1
        if thread_id is not None:
            msg["message_thread_id"] = thread_id
            msg["is_topic_message"] = True
        anchor = reply_to
        if anchor is None and thread_id in chat.topics:  # Telegram: topic messages reply to its root
            anchor = chat.messages.get(thread_id)
        if anchor is not None:
            msg["reply_to_message"] = {k: v for k, v in anchor.message.items() if k != "reply_to_message"}
        msg.update(fields)
        rec = MessageRecord(msg, from_bot=bool(sender.get("is_bot")), keyboard=keyboard)
        chat.messages[msg["message_id"]] = rec
        if keyboard is not None:
            chat.keyboard = None if keyboard.get("remove_keyboard") else keyboard
        self.emit("message", chat.id, message=rec.view())
        return copy.deepcopy(msg)

    def edited(self, chat: ChatState, rec: MessageRecord) -> Json:
        rec.edited = True
        rec.message["edit_date"] = int(time.time())
        self.emit("edit", chat.id, message=rec.view())
        return copy.deepcopy(rec.message)

    def delete(self, chat: ChatState, message_id: int) -> None:
        del chat.messages[message_id]
        self.emit("delete", chat.id, message_id=message_id)

    # ---- files ----------------------------------------------------------------------------
    def store_file(self, data: bytes, folder: str, ext: str, mime: str, prefix: str = "BQAC") -> StoredFile:
        n = next(self._ids)
        stored = StoredFile(
            f"{prefix}AgIAAxkBAAI{n:05d}{secrets.token_urlsafe(24)}",
            f"AQAD{n:04d}{secrets.token_urlsafe(8)}",
            data,
            f"{folder}/file_{n}.{ext}",
            mime,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def store_photo(self, data: bytes) -> list[Json]:
        """Store image bytes; return Telegram PhotoSize list (thumbnail ... largest)."""
        mime, width, height = image_info(data) or ("image/jpeg", 800, 600)
        sizes: list[Json] = []
        seen: set[tuple[int, int]] = set()
        for limit in (90, 320, 1280):
            scale = min(1.0, limit / max(width, height, 1))
            dims = (max(1, round(width * scale)), max(1, round(height * scale)))
            if dims in seen:
                continue
            seen.add(dims)
            stored = self.store_file(data, "photos", "jpg", mime, prefix="AgAC")
            stored.sizes = sizes
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": max(1, round(len(data) * scale * scale)),
                    "width": dims[0],
                    "height": dims[1],
                }
            )
        return sizes

    # ---- updates --------------------------------------------------------------------------
    def queue_update(self, payload: Json) -> Json:
        update = dict(payload)
        if "update_id" not in update:
            update = {"update_id": self.next_update_id, **update}
        self.next_update_id = max(self.next_update_id, update["update_id"]) + 1
        self.update_log[update["update_id"]] = update
        self.pending.append(Pending(update))
        self.pending.sort(key=lambda p: p.update["update_id"])
        self.updates_changed.fire()
        return copy.deepcopy(update)

    def redeliver(self, update_id: int) -> Json:
        if update_id not in self.update_log:
            raise ValueError(f"unknown update_id {update_id}")
        self.pending = [p for p in self.pending if p.update["update_id"] != update_id]
        self.pending.append(Pending(self.update_log[update_id], sticky=True))
        self.pending.sort(key=lambda p: p.update["update_id"])
        self.updates_changed.fire()
        return copy.deepcopy(self.update_log[update_id])

    def confirm(self, offset: int) -> None:
        if offset < 0:
            self.pending = self.pending[offset:]
        elif offset > 0:
            self.pending = [p for p in self.pending if p.sticky or p.update["update_id"] >= offset]

    def peek_updates(self, limit: int) -> list[Json]:
        allowed = set(self.allowed_updates or ()) or None
        out: list[Json] = []
        for item in list(self.pending):
            kind = next((k for k in item.update if k != "update_id"), "")
            default_off = kind in ("chat_member", "message_reaction", "message_reaction_count")
            if (allowed is not None and kind not in allowed) or (allowed is None and default_off):
                self.pending.remove(item)
                continue
            if len(out) < limit:
                item.sticky = False
                out.append(copy.deepcopy(item.update))
        return out

    # ---- change feed ----------------------------------------------------------------------
    def emit(self, kind: str, chat_id: int | None, **data: Any) -> None:
        self.seq += 1
        self.events.append({"seq": self.seq, "type": kind, "chat_id": chat_id, "time": time.time(), **data})
        del self.events[:-MAX_EVENTS]
        self.events_changed.fire()

    def events_since(self, seq: int, chat_id: int | None = None) -> list[Json]:
        return [
            copy.deepcopy(e)
            for e in self.events
            if e["seq"] > seq and (chat_id is None or e["chat_id"] == chat_id)
        ]
