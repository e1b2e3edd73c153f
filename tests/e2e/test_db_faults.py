"""Database faults: PostgreSQL behind a TCP proxy that drops every connection for a while.
Updates that came in meanwhile are not confirmed to Telegram, the residents are told once to
try again shortly (never a traceback), and everything is handled once the database is back."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.adapters.choice import make_runtime
from locales import t
from sandbox.fakeapi import FakeBotApi
from storage.db import create_engine
from storage.models import ProcessedUpdate
from tests.e2e.bot_driver import prepare_db, settings_for
from tests.e2e.crash_kit import PG_URL, Person, fresh_database
from tests.e2e.test_crash_safety import _join

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs GONGZHI_TEST_DATABASE_URL"),
]
TRY_AGAIN = t("zh_CN", "error-try-again")


class FlakyProxy:
    """127.0.0.1:<port> → the database server; ``down()`` cuts every connection and refuses
    new ones until ``up()``."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port, self.target_port = host, 0, port
        self.is_up = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.down()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def down(self) -> None:
        self.is_up = False
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()

    def up(self) -> None:
        self.is_up = True

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.is_up:
            writer.transport.abort()
            return
        try:
            r2, w2 = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, w2}
        await asyncio.gather(self._pipe(reader, w2), self._pipe(r2, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        self._writers.discard(writer)
        writer.transport.abort()


def _alerts(api: FakeBotApi) -> list[str]:
    return [str(x.get("text")) for x in api.callback_answers if x.get("text")]


def _texts(api: FakeBotApi, chat: int) -> list[str]:
    return [str(m.get("text", "")) for m in api.messages(chat) if m["from"].get("is_bot")]


async def _until(api: FakeBotApi, condition: object, what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, what
        await api.world.events_changed.wait(0.2)


async def test_database_outage_delays_updates_and_loses_none(tmp_path: Path) -> None:
    api = FakeBotApi(limits=None, callback_ttl=None)
    await api.start()
    a, b = Person(api, 30_001, timeout=30), Person(api, 30_002, timeout=30)
    for p in (a, b):
        api.add_user(p.id, f"居民{p.id}")
    url = make_url(PG_URL)
    proxy = FlakyProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    try:
        async with fresh_database() as db:
            await prepare_db(db)
            await _join(db, [a, b])
            via_proxy = (
                make_url(db).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            )
            s = settings_for(api, via_proxy).model_copy(update={"flood_limits": "off"})
            runtime = make_runtime(s)
            await runtime.start()
            try:
                await a.say("/report", "请选择问题类别")
                proxy.down()  # PostgreSQL is gone
                polls = sum(c.method == "getUpdates" for c in api.calls)
                for rec in reversed(a._bot_messages()):  # a button: the answer is an alert
                    rows = (rec.message.get("reply_markup") or {}).get("inline_keyboard", [])
                    data = [b["callback_data"] for row in rows for b in row if "漏水" in b["text"]]
                    if data:
                        api.press_button(a.id, rec.message["message_id"], data[0])
                        break
                await _until(api, lambda: _alerts(api) == [TRY_AGAIN], "no 'try again' alert")
                sent = api.send_text(b.id, "/report")
                await b.expect(TRY_AGAIN)
                # not confirmed: still pending at the fake Telegram, fetched again and again
                await _until(
                    api,
                    lambda: sum(c.method == "getUpdates" for c in api.calls) >= polls + 3,
                    "the updates were not fetched again",
                )
                pending = {p.update["update_id"] for p in api.world.pending}
                assert sent["update_id"] in pending
                proxy.up()  # back: both are handled, once
                await a.expect("请用文字描述")
                await b.expect("请选择问题类别")
                await a.say("卫生间漏水", "可以发送照片")  # the conversation goes on
            finally:
                await runtime.stop()
            engine = create_engine(db)
            try:
                async with engine.connect() as c:
                    n = (
                        await c.execute(
                            select(func.count())
                            .select_from(ProcessedUpdate)
                            .where(ProcessedUpdate.update_id == sent["update_id"])  # type: ignore[arg-type]
                        )
                    ).scalar_one()
            finally:
                await engine.dispose()
            assert n == 1
    finally:
        await proxy.stop()
        await api.stop()
    assert _alerts(api) == [TRY_AGAIN]  # told once, however often the update came again
    assert _texts(api, b.id).count(TRY_AGAIN) == 1
    for p in (a, b):
        assert not any("Traceback" in x or "Error" in x for x in _texts(api, p.id))
