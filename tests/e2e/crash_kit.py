"""The real bot as a subprocess (`python -m bot run`) on a PostgreSQL database of its own,
and residents who walk through a report against the fake Bot API: used by the crash and
database-fault tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from sandbox.fakeapi import FakeBotApi
from storage.db import create_engine

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("GONGZHI_TEST_DATABASE_URL", "")


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A new database on the test server (the subprocess cannot be given a schema), dropped
    afterwards; yields its URL."""
    name = f"crash_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    try:
        async with admin.connect() as conn:
            c = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await c.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            c = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


class BotProcess:
    """`python -m bot run` against the fake Bot API; its log goes to ``log``."""

    def __init__(self, api: FakeBotApi, db_url: str, workdir: Path, **env: str) -> None:
        self.api, self.db_url, self.workdir = api, db_url, workdir
        self.log = workdir / "bot.log"
        self.extra = env
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._out: IO[bytes] | None = None

    async def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "GONGZHI_BOT_TOKEN": self.api.token,
            "GONGZHI_TELEGRAM_API_BASE": self.api.base_url,
            "GONGZHI_DATABASE_URL": self.db_url,
            "GONGZHI_TICK_SECONDS": "3600",
            "GONGZHI_OUTBOX_LEASE_SECONDS": "2",
            "GONGZHI_FLOOD_LIMITS": "off",
            **self.extra,
        }
        if self._out is None:
            self._out = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=self.workdir, stdout=self._out, stderr=self._out
        )
        self.starts += 1

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        self.proc = None

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self.proc = None
        if self._out is not None:
            self._out.close()
            self._out = None


class Person:
    """One resident in their private chat: sends, taps and waits for the bot's answer."""

    def __init__(self, api: FakeBotApi, user_id: int, timeout: float = 60.0) -> None:
        self.api, self.id, self.timeout = api, user_id, timeout
        self.used: set[tuple[int, str]] = set()  # bot messages (id, text) already read
        self.steps_done = 0

    def _bot_messages(self) -> list[Any]:
        chat = self.api.world.chats[self.id]
        return [rec for rec in chat.messages.values() if rec.from_bot]

    async def expect(self, contains: str) -> dict[str, Any]:
        """The first bot message (new, or edited into new text) containing ``contains``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            for rec in self._bot_messages():
                m = rec.message
                body = str(m.get("text") or m.get("caption") or "")
                key = (int(m["message_id"]), body)
                if contains in body and key not in self.used:
                    self.used.add(key)
                    self.steps_done += 1
                    return dict(m)
            if loop.time() > deadline:
                seen = [str(r.message.get("text", ""))[:40] for r in self._bot_messages()]
                raise AssertionError(f"user {self.id} never got {contains!r}; saw {seen}")
            await self.api.world.events_changed.wait(min(1.0, deadline - loop.time()))

    async def say(self, words: str, expect: str) -> dict[str, Any]:
        self.api.send_text(self.id, words)
        return await self.expect(expect)

    async def tap(self, label: str, expect: str) -> dict[str, Any]:
        for rec in reversed(self._bot_messages()):
            for row in (rec.message.get("reply_markup") or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"]:
                        self.api.press_button(self.id, rec.message["message_id"], b["callback_data"])
                        return await self.expect(expect)
        raise AssertionError(f"no button {label!r} for user {self.id}")

    async def locate(self, expect: str) -> dict[str, Any]:
        self.api.send_location(self.id, 40.1412, 117.1205)
        return await self.expect(expect)
