"""Records kept by the fake Bot API (chats, messages, files, pending updates) and a wake-up signal."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


class Signal:
    """Wakes every coroutine waiting on it when ``fire`` is called."""

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def waiting(self) -> int:
        """How many coroutines wait on it now (tests wait for a long poll to be in place)."""
        return sum(not f.done() for f in self._waiters)

    def fire(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait(self, timeout: float) -> None:
        if timeout <= 0:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            pass
        finally:
            if fut in self._waiters:
                self._waiters.remove(fut)


@dataclass
class MessageRecord:
    message: Json
    from_bot: bool
    edited: bool = False
    keyboard: Json | None = None  # non-inline reply markup sent with the message

    def view(self) -> Json:
        out = copy.deepcopy(self.message)
        out["edited"] = self.edited
        if self.keyboard is not None:
            out["reply_keyboard"] = copy.deepcopy(self.keyboard)
        return out


@dataclass
class ChatState:
    chat: Json
    members: set[int] = field(default_factory=set)
    blocked: bool = False
    started: bool = True
    next_id: int = 1
    messages: dict[int, MessageRecord] = field(default_factory=dict)
    topics: dict[int, Json] = field(default_factory=dict)
    keyboard: Json | None = None
    menu_button: Json | None = None

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def private(self) -> bool:
        return bool(self.chat["type"] == "private")

    def summary(self) -> Json:
        return {
            "chat": dict(self.chat),
            "members": sorted(self.members),
            "blocked": self.blocked,
            "topics": list(self.topics.values()),
            "reply_keyboard": self.keyboard,
            "message_count": len(self.messages),
        }


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    mime: str
    sizes: list[Json] = field(default_factory=list)  # the photo this file belongs to

    def as_file(self) -> Json:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class Pending:
    update: Json
    sticky: bool = False  # redelivered: not confirmed by an older offset until returned once


@dataclass
class CallbackRecord:
    query: Json
    created: float
    answered: bool = False
