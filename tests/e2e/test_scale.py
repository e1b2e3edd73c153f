"""Several real `gongzhi run` processes (webhook mode) against the fake Bot API: a burst for
the same residents across two processes behind a load balancer (one PostgreSQL database,
Redis for the flood budget and the per-chat lock), the tick moving to another process when
its holder is killed, and a graceful SIGTERM."""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sandbox.fakeapi import FakeBotApi, make_png
from sandbox.fakeapi.server import Call
from storage.db import create_engine
from storage.models import Notification, NotificationState, ProcessedUpdate, Ticket
from storage.queries import ops
from storage.uow import make_uow_factory
from tests.e2e.bot_driver import STAFF_GROUP, prepare_db
from tests.e2e.scale_support import (
    PG_URL,
    BotProcess,
    LoadBalancer,
    free_port,
    gather_statuses,
    pg_database,
    post_update,
    redis_server,
    until_true,
)
from tests.waiting import until

needs_pg = pytest.mark.skipif(not PG_URL, reason="GONGZHI_TEST_DATABASE_URL not set (PostgreSQL tier)")
needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")


def bot_env(api: FakeBotApi, db: str, webhook_url: str, **extra: str) -> dict[str, str]:
    return {
        "GONGZHI_BOT_TOKEN": api.token,
        "GONGZHI_TELEGRAM_API_BASE": api.base_url,
        "GONGZHI_DATABASE_URL": db,
        "GONGZHI_WEBHOOK_URL": webhook_url,
        "GONGZHI_TICK_SECONDS": "3600",
        **extra,
    }


def to_chat(c: Call, chat: int) -> bool:
    return (
        c.ok and c.method in ("sendMessage", "editMessageText") and str(c.params.get("chat_id")) == str(chat)
    )


def buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


class Resident:
    """One person in the fake, who waits for the bot's answer where a person would."""

    def __init__(self, api: FakeBotApi, user: int) -> None:
        self.api, self.user = api, user

    async def answer(self, since: int, check: Any = lambda c: True, timeout: float = 45) -> Call:
        return await self.api.wait_for(
            lambda c: to_chat(c, self.user) and check(c), timeout=timeout, since=since
        )

    def tap(self, prefix: str) -> dict[str, Any]:
        for m in reversed(self.api.messages(self.user)):
            for data in buttons(m):
                if data.startswith(prefix):
                    return self.api.press_button(self.user, m["message_id"], data)
        raise AssertionError(f"{self.user}: no button {prefix!r}")

    async def say(self, text: str, check: Any = lambda c: True) -> Call:
        i = len(self.api.calls)
        self.api.send_text(self.user, text)
        return await self.answer(i, check)

    async def press(self, prefix: str, check: Any = lambda c: True) -> tuple[Call, dict[str, Any]]:
        i = len(self.api.calls)
        update = self.tap(prefix)
        return await self.answer(i, check), update

    async def report_with_burst(self, description: str) -> tuple[list[str], dict[str, Any]]:
        """Join, start a report, then send the description and two photos at once (no
        waiting in between), then finish it. Returns the photos' file ids and the submit
        update."""
        await self.say("/start c_XGY", lambda c: any(d.startswith("sk:") for d in buttons(c.result)))
        await self.press("sk:", lambda c: c.method == "sendMessage")
        await self.say("/report", lambda c: any(d.startswith("rp:c:") for d in buttons(c.result)))
        await self.press("rp:c:leak", lambda c: c.method == "sendMessage")
        i = len(self.api.calls)
        self.api.send_text(self.user, description)
        photos = [
            self.api.send_photo(self.user, make_png())["message"]["photo"][-1]["file_id"] for _ in range(3)
        ]
        await until_true(
            self._sent_since(i, 3), 60, f"{self.user}: three answers to the burst"
        )  # the photo prompt, then "photo 1/5", "2/5"
        await self.press("rp:done", lambda c: any(d.startswith("rp:noloc") for d in buttons(c.result)))
        await self.press("rp:noloc", lambda c: any(d.startswith("rp:submit") for d in buttons(c.result)))
        _, submit = await self.press("rp:submit", lambda c: "PG-" in str(c.params.get("text", "")))
        return photos, submit

    def _sent_since(self, i: int, n: int) -> Any:
        async def check() -> bool:
            return (
                sum(1 for c in self.api.calls[i:] if to_chat(c, self.user) and c.method == "sendMessage") >= n
            )

        return check


@needs_pg
@needs_redis
async def test_a_burst_across_two_processes_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    async with pg_database() as db, redis_server(tmp_path) as redis_url:
        await prepare_db(db)
        api = FakeBotApi()  # Telegram's flood limits, enforced with 429
        await api.start()
        users = [7101, 7102, 7103]  # the staff group's 20 messages a minute bound the pace
        for u in users:
            api.add_user(u, f"住户{u}")
        api.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[])
        ports = [free_port(), free_port()]
        bots: list[BotProcess] = []
        try:
            async with LoadBalancer(ports) as lb:
                env = bot_env(api, db, lb.url, GONGZHI_REDIS_URL=redis_url)
                bots = [BotProcess(tmp_path, env, p) for p in ports]
                await asyncio.gather(*(b.start() for b in bots))
                people = [Resident(api, u) for u in users]
                done = await asyncio.gather(*(p.report_with_burst(f"{p.user} 楼道漏水") for p in people))
                redelivered = {submit["update_id"] for _, submit in done}

                def answered(n: int) -> bool:
                    ok = [d["update_id"] for d in api.webhooks.deliveries if d["status"] == 200]
                    return all(ok.count(u) >= n for u in redelivered)

                await until(lambda: answered(1), 60, "the last updates answered")
                for u in redelivered:  # Telegram delivers the last update again
                    api.redeliver(u)
                await until(lambda: answered(2), 90, "the redelivered updates answered")
                engine = create_engine(db)
                f = make_uow_factory(engine)

                async def outbox_empty() -> bool:
                    async with f() as uow:
                        return (
                            await ops.outbox_due(uow, uow.clock.now()) == 0
                            and (await ops.outbox_backlog(uow))[0] == 0
                        )

                await until_true(outbox_empty, 90, "every notification delivered")
                await engine.dispose()
                group_sends = [
                    c
                    for c in api.calls
                    if c.ok and c.method == "sendMessage" and str(c.params.get("chat_id")) == str(STAFF_GROUP)
                ]
                served = {port for port, status in lb.served if status == 200}
        finally:
            for b in bots:
                b.stop()
            await api.stop()
        engine = create_engine(db)
        async with make_uow_factory(engine)() as uow:
            tickets = (await uow.session.execute(select(Ticket))).scalars().all()
            handled = (
                await uow.session.execute(select(func.count()).select_from(ProcessedUpdate))
            ).scalar_one()
        await engine.dispose()
    assert served == set(ports), "both processes handled updates"
    assert len(tickets) == len(users), "one ticket per resident, none doubled by the redelivery"
    by_user = {int(t.description.split()[0]): t for t in tickets}
    for p, (photos, _) in zip(people, done, strict=True):
        assert by_user[p.user].photos == photos, "the burst's photos, all of them, in order"
    assert handled >= len(users) * 10, "every update handled (10 per resident)"
    assert len({c.params.get("message_thread_id") for c in group_sends}) == len(users), "a topic per ticket"
    texts = Counter((c.params.get("message_thread_id"), c.params.get("text")) for c in group_sends)
    twice = [k for k, n in texts.items() if n > 1]
    assert not twice, f"no notification sent twice: {twice}"
    assert api.count_429 == 0, "one flood budget across both processes"


@needs_pg
async def test_one_process_ticks_and_another_takes_over_when_it_is_killed(tmp_path: Path) -> None:
    tick = 2.0
    async with pg_database() as db:
        await prepare_db(db)
        api = FakeBotApi(limits=None)
        await api.start()
        ports = [free_port(), free_port()]
        env = bot_env(api, db, f"http://127.0.0.1:{ports[0]}/telegram", GONGZHI_TICK_SECONDS=str(tick))
        bots = [BotProcess(tmp_path, env, p) for p in ports]
        try:
            await asyncio.gather(*(b.start() for b in bots))

            async def roles() -> list[float | None]:
                return [await b.metric("gongzhi_tick_leader") for b in bots]

            async def one_leader() -> bool:
                return sorted(await roles(), key=lambda v: v or 0) == [0.0, 1.0]

            await until_true(one_leader, 20, "exactly one process holding the tick")
            leader, other = (bots[0], bots[1]) if (await roles())[0] == 1.0 else (bots[1], bots[0])
            assert leader.proc is not None
            leader.proc.kill()
            killed = time.monotonic()

            async def took_over() -> bool:
                return await other.metric("gongzhi_tick_leader") == 1.0

            await until_true(took_over, 20, "the other process holding the tick")
            assert time.monotonic() - killed <= tick + 1.5, "taken over within one tick period"
            assert (await other.get("/healthz"))[0] == 200
        finally:
            for b in bots:
                b.stop()
            await api.stop()


def ranking_row(i: int, chat: int, now: Any) -> dict[str, Any]:
    return {
        "dedup_key": f"sigterm:{i}",
        "kind": "ranking",
        "ticket_id": None,
        "account_id": None,
        "channel": "telegram",
        "chat_id": str(chat),
        "in_topic": False,
        "due_at": now,
        "payload": {"district": "平谷区", "quarter": "2026Q3", "min_count": 3, "rows": []},
        "state": NotificationState.pending.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


async def test_sigterm_finishes_what_is_in_hand_flushes_the_outbox_and_exits_0(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await prepare_db(db)
    api = FakeBotApi()  # Telegram's flood limits: 90 notices take the sender about 3 s
    await api.start()
    chats = list(range(7201, 7291))
    for c in chats:
        api.add_user(c, f"住户{c}")
    engine = create_engine(db)
    f = make_uow_factory(engine)
    async with f() as uow:
        for i, c in enumerate(chats):
            await uow.outbox.enqueue(ranking_row(i, c, uow.clock.now()))
        await uow.commit()
    port = free_port()
    bot = BotProcess(tmp_path, bot_env(api, db, f"http://127.0.0.1:{port}/telegram"), port)
    try:
        await bot.start()
        in_hand = [
            {
                "update_id": 900_000 + i,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": c, "type": "private", "first_name": "住户"},
                    "from": {"id": c, "is_bot": False, "first_name": "住户", "language_code": "zh-hans"},
                    "text": "/help",
                },
            }
            for i, c in enumerate(chats[:3])
        ]
        posted = asyncio.create_task(gather_statuses(port, in_hand))
        await until(lambda: len(api.calls) > 0, 10, "the bot at work")
        bot.signal(signal.SIGTERM)

        async def stopping() -> bool:
            return (await bot.get("/healthz")) == (503, "stopping")

        await until_true(stopping, 10, "/healthz saying the bot is stopping")
        late = await post_update(port, {**in_hand[0], "update_id": 900_100})
        statuses = await posted
        code = await bot.exited(40)
    finally:
        bot.stop()
        await api.stop()
    async with f() as uow:
        states = Counter(
            str(s)
            for s in (await uow.session.execute(select(Notification.state))).scalars().all()  # type: ignore[call-overload]
        )
    await engine.dispose()
    assert code == 0, bot.tail()
    assert late == 503, "no new update is taken once stopping (503: Telegram retries it)"
    assert set(statuses) <= {200, 503}
    for status, u in zip(statuses, in_hand, strict=True):
        if status == 200:  # taken: answered before the process went
            assert any(to_chat(c, u["message"]["chat"]["id"]) for c in api.calls)
    assert states == Counter({"sent": len(chats)}) or states == Counter({NotificationState.sent: len(chats)})
    assert api.count_429 == 0
