"""Keep the fake Bot API's world (users, chats, messages, topics, files, update counter)
in a directory, so the sandbox shows the same conversations after a restart.

    store = WorldStore(directory)       # <directory>/state.json and <directory>/files/
    api.add_user(...); api.add_group(...)
    store.restore(api.world)             # merges the saved chats into the registered ones
    await api.start(); store.start(api.world)   # saves shortly after every change
    ...
    await store.stop()                    # a last save

Only the sandbox uses this; tests of the fake itself keep everything in memory.  The
update counter is restored too, so a bot that records processed ``update_id``s does not
mistake new updates for ones it already handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from sandbox.fakeapi.model import ChatState, Json, MessageRecord, Pending, StoredFile
from sandbox.fakeapi.state import World

log = logging.getLogger(__name__)
VERSION = 1
FILE_NO = re.compile(r"/file_(\d+)\.")


def snapshot(world: World) -> tuple[Json, dict[str, bytes]]:
    """The world as JSON, and the file bodies it refers to (by content hash)."""
    blobs: dict[str, bytes] = {}
    files = []
    for f in world.files.values():
        digest = hashlib.sha256(f.data).hexdigest()
        blobs[digest] = f.data
        files.append(
            {
                "file_id": f.file_id,
                "file_unique_id": f.file_unique_id,
                "file_path": f.file_path,
                "mime": f.mime,
                "sizes": f.sizes,
                "blob": digest,
            }
        )
    chats = [
        {
            "chat": c.chat,
            "members": sorted(c.members),
            "blocked": c.blocked,
            "started": c.started,
            "next_id": c.next_id,
            "topics": list(c.topics.values()),
            "keyboard": c.keyboard,
            "messages": [
                {"message": r.message, "from_bot": r.from_bot, "edited": r.edited, "keyboard": r.keyboard}
                for r in c.messages.values()
            ],
        }
        for c in world.chats.values()
    ]
    state = {
        "version": VERSION,
        "users": list(world.users.values()),
        "chats": chats,
        "files": files,
        "next_update_id": world.next_update_id,
        "seq": world.seq,
        "pending": [p.update for p in world.pending],
    }
    return state, blobs


def load(world: World, state: Json, read_blob: Any) -> None:
    """Merge a snapshot into ``world``: saved chats replace the history of registered ones,
    registered members and users are kept.  ``read_blob(digest) -> bytes | None``."""
    if state.get("version") != VERSION:
        raise ValueError(f"unsupported fake world snapshot version {state.get('version')!r}")
    for user in state["users"]:
        world.users.setdefault(int(user["id"]), user)
    for saved in state["chats"]:
        chat_id = int(saved["chat"]["id"])
        current = world.chats.get(chat_id)
        chat = current or ChatState(saved["chat"])
        chat.members |= {int(m) for m in saved["members"]}
        chat.blocked, chat.started = bool(saved["blocked"]), bool(saved["started"])
        chat.next_id = int(saved["next_id"])
        chat.topics = {int(t["message_thread_id"]): t for t in saved["topics"]}
        chat.keyboard = saved["keyboard"]
        chat.messages = {
            int(m["message"]["message_id"]): MessageRecord(
                m["message"], bool(m["from_bot"]), bool(m["edited"]), m["keyboard"]
            )
            for m in saved["messages"]
        }
        world.chats[chat_id] = chat
    highest = 0
    for f in state["files"]:
        data = read_blob(f["blob"])
        if data is None:
            log.warning("fake world snapshot: file body %s is missing", f["blob"])
            continue
        stored = StoredFile(f["file_id"], f["file_unique_id"], data, f["file_path"], f["mime"], f["sizes"])
        world.files[stored.file_id] = stored
        world.files_by_path[stored.file_path] = stored
        if m := FILE_NO.search(stored.file_path):
            highest = max(highest, int(m[1]))
    world._ids = itertools.count(highest + 1)  # new files must not reuse a saved file path
    world.next_update_id = max(world.next_update_id, int(state["next_update_id"]))
    world.seq += int(state["seq"])  # later than any event a page saw before the restart
    world.pending = [Pending(u) for u in state["pending"]] + world.pending


class WorldStore:
    """Saves a World to ``directory`` after changes; restores it on start."""

    def __init__(self, directory: Path, delay: float = 0.2) -> None:
        self.directory = Path(directory)
        self.delay = delay
        self._task: asyncio.Task[None] | None = None
        self._world: World | None = None
        self._saved: tuple[int, int, int] | None = None

    @property
    def state_file(self) -> Path:
        return self.directory / "state.json"

    def _blob(self, digest: str) -> Path:
        return self.directory / "files" / digest

    def restore(self, world: World) -> bool:
        """Load the saved world into ``world``; False when there is none (or it is unreadable,
        which is logged and set aside as state.json.bad)."""
        if not self.state_file.exists():
            return False
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            load(world, state, lambda d: self._blob(d).read_bytes() if self._blob(d).exists() else None)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cannot restore the fake world from %s (%s); starting empty", self.state_file, exc)
            with contextlib.suppress(OSError):
                os.replace(self.state_file, self.state_file.with_suffix(".json.bad"))
            return False
        self._saved = self._mark(world)
        return True

    def save(self, world: World) -> None:
        state, blobs = snapshot(world)
        (self.directory / "files").mkdir(parents=True, exist_ok=True)
        for digest, data in blobs.items():
            path = self._blob(digest)
            if not path.exists():
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.state_file)
        self._saved = self._mark(world)

    @staticmethod
    def _mark(world: World) -> tuple[int, int, int]:
        return world.seq, world.next_update_id, len(world.pending)

    def start(self, world: World) -> None:
        self._world = world
        self._task = asyncio.create_task(self._run(world), name="fake-world-store")

    async def _run(self, world: World) -> None:
        while True:
            await world.events_changed.wait(1.0)
            if self._mark(world) == self._saved:
                continue
            await asyncio.sleep(self.delay)  # let a burst of changes settle
            try:
                self.save(world)
            except OSError:
                log.exception("cannot save the fake world to %s", self.directory)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._world is not None and self._mark(self._world) != self._saved:
            self.save(self._world)
