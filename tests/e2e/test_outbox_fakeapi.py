"""The real outbox sender and aiogram adapter against the in-repo fake Bot API with its
Telegram-like flood limits: injected 429 bursts are honoured, the limits themselves are
never tripped, every notification arrives exactly once, a blocked user fails with the reason.
(Real time: the limits make this take about two seconds.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.aiogram_adapter import AiogramChannel, make_bot
from bot.outbox import OutboxSender
from handlers import build_renderers
from sandbox.fakeapi import FakeBotApi
from storage.clock import FrozenClock
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import NotificationState
from storage.uow import UowFactory, make_uow_factory
from tests.storage.outbox_helpers import enqueue, numbered, states
from tests.storage.world import STAFF_GROUP, make_world

USERS = list(range(7001, 7013))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def test_429_bursts_and_blocked_users(db: AsyncEngine) -> None:
    f = make_uow_factory(db)
    await enqueue(f, 36, [str(u) for u in USERS])  # 3 per chat
    async with FakeBotApi() as api:
        for u in USERS:
            api.add_user(u, f"用户{u}")
        api.set_blocked(USERS[-1])
        api.fail_next("sendMessage", 429, retry_after=1, count=4)
        bot = make_bot(api.token, api.base_url)
        try:
            sender = OutboxSender(f, AiogramChannel(bot), render=numbered)
            while await sender.drain_once():
                pass
        finally:
            await bot.session.close()
        bot_id = api.bot_user["id"]
        for n, u in enumerate(USERS[:-1]):
            texts = [m["text"] for m in api.messages(u) if m["from"]["id"] == bot_id]
            assert sorted(texts) == sorted(f"{i} 分钟" for i in range(n, 36, len(USERS)))
        assert api.count_429 == 4  # only the injected ones: the limits were never hit
    rows = await states(f)
    failed = [r for r in rows if r.state == NotificationState.failed]
    assert {r.chat_id for r in failed} == {str(USERS[-1])} and len(failed) == 3
    assert all("blocked" in (r.last_error or "") for r in failed)
    assert sum(r.state == NotificationState.sent for r in rows) == 33


async def test_ticket_cards_reach_people_and_a_forum_topic(
    engine: AsyncEngine, uow_factory: UowFactory, clock: FrozenClock
) -> None:
    world = await make_world(uow_factory, clock)
    await world.report("leak", "3号楼地下室漏水")
    async with FakeBotApi() as api:
        for u in range(500, 505):
            api.add_user(u, f"用户{u}")
        api.add_group(int(STAFF_GROUP), "宜居物业工单", is_forum=True)
        bot = make_bot(api.token, api.base_url)
        try:
            sender = OutboxSender(uow_factory, AiogramChannel(bot), renderers=build_renderers())
            while await sender.drain_once():
                pass
        finally:
            await bot.session.close()
        [topic] = api.topics(int(STAFF_GROUP))
        assert topic["name"] == "PG-2026-000001 漏水/渗水"
        in_topic = api.messages(int(STAFF_GROUP), topic["message_thread_id"])
        assert any("3号楼地下室漏水" in m.get("text", "") for m in in_topic)
        staff = [m.get("text", "") for m in api.messages(501)]
        assert any("PG-2026-000001" in t and "3号楼地下室漏水" in t for t in staff)
        assert api.count_429 == 0
