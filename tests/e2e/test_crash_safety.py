"""Crash safety: the real bot (a subprocess on PostgreSQL, against the fake Bot API) is killed
with SIGKILL at random points while 200 residents report concurrently, and restarted. Every
report the bot confirmed exists exactly once, every conversation goes on from its last step,
and every staff notification is delivered once."""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.outbox import SENDING
from sandbox.fakeapi import FakeBotApi
from services.accounts import Identity, ensure_account, join_compound, set_unit
from storage.db import create_engine
from storage.models import Notification, NotificationState, Ticket
from storage.uow import make_uow_factory
from tests.e2e.bot_driver import STAFF, STAFF_GROUP, invite, prepare_db
from tests.e2e.crash_kit import PG_URL, BotProcess, Person, fresh_database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs GONGZHI_TEST_DATABASE_URL"),
]
RESIDENTS = 200
KILLS = 5
STEPS = 6
# a new ticket's notice names it once in the staff member's chat ("🔔 新工单 PG-…" before the
# card, or its line in a bundle)
NEW_TICKET = re.compile(r"新工单 (PG-\d{4}-\d{6})")
CARD = re.compile(r"^📌 工单 (PG-\d{4}-\d{6})")  # the card in the ticket's topic of the staff group
FIRST_RESIDENT = 20_000
NUMBER = re.compile(r"PG-\d{4}-\d{6}")


async def _join(db: str, people: list[Person]) -> None:
    """Residents of XGY with a unit, as `/start c_XGY` and their unit would make them."""
    engine = create_engine(db)
    async with make_uow_factory(engine)() as uow:
        for p in people:
            who = await ensure_account(
                uow, Identity("telegram", str(p.id), str(p.id), f"居民{p.id}", "zh-hans")
            )
            compound = await join_compound(uow, who, "XGY")
            assert compound.id is not None
            await set_unit(uow, who, compound.id, "1-1-101")
        await uow.commit()
    await engine.dispose()


async def _in_doubt(db: str) -> set[tuple[str, int]]:
    """Notifications a killed process was sending (between the request and the commit of its
    answer): the only ones that may arrive twice, since the Bot API has no idempotency key."""
    engine = create_engine(db)
    try:
        async with engine.connect() as c:
            rows = (
                await c.execute(
                    select(Notification.chat_id, Notification.ticket_id, Notification.payload).where(
                        Notification.state != NotificationState.sent  # type: ignore[arg-type]
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    return {(chat, int(tid)) for chat, tid, payload in rows if tid is not None and SENDING in (payload or {})}


async def _walk(p: Person, confirmed: dict[int, str]) -> None:
    """A report: every step expects the prompt of the next one."""
    await p.say("/report", "请选择问题类别")
    await p.tap("漏水", "请用文字描述")
    await p.say(f"{p.id} 号居民：卫生间漏水", "可以发送照片")
    await p.tap("照片已发完", "可以发送位置")
    await p.locate("请确认")
    done = await p.tap("提交", "已提交")
    m = NUMBER.search(str(done.get("text")))
    assert m, done
    confirmed[p.id] = m.group()


def loop_time() -> float:
    return asyncio.get_running_loop().time() - START[0]


START = [0.0]


async def _sends(api: FakeBotApi) -> int:
    return sum(1 for c in api.calls if c.method in ("sendMessage", "editMessageText"))


async def test_killed_bot_loses_and_repeats_nothing(tmp_path: Path) -> None:
    rng = random.Random()
    START[0] = asyncio.get_running_loop().time()
    api = FakeBotApi(limits=None, callback_ttl=None)
    await api.start()
    api.add_user(STAFF, "王师傅")
    api.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[STAFF])
    people = [Person(api, FIRST_RESIDENT + i) for i in range(RESIDENTS)]
    for p in people:
        api.add_user(p.id, f"居民{p.id}")
    try:
        async with fresh_database() as db:
            await prepare_db(db)
            await _join(db, people)
            bot = BotProcess(api, db, tmp_path)
            await bot.start()
            staff = Person(api, STAFF)
            await staff.say(f"/start inv_{await invite(db, 'staff', 'YJWY')}", "已加入")

            confirmed: dict[int, str] = {}
            walks = asyncio.gather(*(_walk(p, confirmed) for p in people))
            in_doubt: set[tuple[str, int]] = set()  # (chat, ticket) being sent at a kill
            midway: list[int] = []  # residents between their first and last step at each kill
            # random points over the whole run: replies to residents first, the staff cards
            # mostly after them (the later kills catch the outbox sending)
            points = sorted(
                rng.sample(range(100, 1000, 50), 3) + rng.sample(range(1100, 1600, 50), KILLS - 3)
            )
            for target in points:
                while await _sends(api) < target:
                    await api.world.events_changed.wait(1.0)
                await bot.kill()
                in_doubt |= await _in_doubt(db)
                midway.append(sum(1 for p in people if 0 < p.steps_done < STEPS))
                print(  # noqa: T201
                    f"kill at {loop_time():.1f}s sends={await _sends(api)} midway={midway[-1]} "
                    f"done={sum(p.steps_done == STEPS for p in people)} pending={len(api.world.pending)}"
                )
                await bot.start()
            try:
                await walks
            finally:
                with (tmp_path / "calls.txt").open("w") as f:
                    for c in api.calls:
                        text = str(c.params.get("text", ""))[:60].replace("\n", " ")
                        chat = c.params.get("chat_id", "")
                        f.write(f"{c.time - api.calls[0].time:.2f} {c.method} {c.status} {chat} {text}\n")
                print(  # noqa: T201
                    f"end at {loop_time():.1f}s sends={await _sends(api)} "
                    f"done={sum(p.steps_done == STEPS for p in people)} pending={len(api.world.pending)} "
                    f"steps={sorted(Counter(p.steps_done for p in people).items())}"
                )
            assert bot.starts == KILLS + 1 and sum(n > 0 for n in midway) >= 3, midway

            engine = create_engine(db)
            try:
                # every notification is sent (rows left by a killed process come back after the lease)
                async def outbox_left() -> int:
                    async with engine.connect() as c:
                        q = select(func.count()).where(
                            Notification.state.in_([NotificationState.pending, NotificationState.sending])  # type: ignore[attr-defined]
                        )
                        return int((await c.execute(q.select_from(Notification))).scalar_one())

                loop = asyncio.get_running_loop()
                deadline = loop.time() + 30
                while await outbox_left():
                    if loop.time() > deadline:
                        async with engine.connect() as c:
                            left = (
                                await c.execute(
                                    select(
                                        Notification.kind,
                                        Notification.state,
                                        Notification.attempts,
                                        Notification.last_error,
                                        Notification.next_attempt_at,
                                        Notification.claimed_until,
                                    ).where(Notification.state != NotificationState.sent)  # type: ignore[arg-type]
                                )
                            ).all()
                        raise AssertionError(f"the outbox was not drained: {left[:5]} ({len(left)})")
                    await api.world.events_changed.wait(0.5)
                async with engine.connect() as c:
                    tickets = (await c.execute(select(Ticket.number, Ticket.description))).all()
                    notes = (
                        await c.execute(
                            select(Notification.chat_id, Notification.ticket_id, Notification.state)
                        )
                    ).all()
                    unsent = (
                        await c.execute(
                            select(Notification.kind, Notification.chat_id, Notification.last_error).where(
                                Notification.state != NotificationState.sent  # type: ignore[arg-type]
                            )
                        )
                    ).all()
                    numbers_by_id = dict(
                        (await c.execute(select(Ticket.id, Ticket.number))).all()  # type: ignore[arg-type]
                    )
            finally:
                await engine.dispose()
            await bot.stop()
    finally:
        await api.stop()

    # every confirmed report exists exactly once
    assert len(confirmed) == RESIDENTS
    numbers = Counter(n for n, _ in tickets)
    assert set(numbers) == set(confirmed.values()) and max(numbers.values()) == 1
    by_text = Counter(d.split(" ")[0] for _, d in tickets)
    assert sorted(by_text) == sorted(str(p.id) for p in people) and max(by_text.values()) == 1
    # every notification delivered once: one card per ticket in the staff chat and in the group
    assert unsent == []
    sent_to: Counter[tuple[str, str]] = Counter()
    for call in api.calls:
        if call.method == "sendMessage" and call.ok:
            chat = str(call.params.get("chat_id"))
            pattern = CARD if chat == str(STAFF_GROUP) else NEW_TICKET
            for number in pattern.findall(str(call.params.get("text", ""))):
                sent_to[(chat, number)] += 1
    repeated = []
    for chat_id, ticket_id, _ in notes:
        if ticket_id is not None and chat_id in (str(STAFF), str(STAFF_GROUP)):
            n = sent_to[(chat_id, numbers_by_id[ticket_id])]
            assert n >= 1, (chat_id, numbers_by_id[ticket_id], n)
            if n > 1:
                repeated.append((chat_id, ticket_id))
    # at most the ones a kill caught in the middle of their request, and each only once more
    assert set(repeated) <= in_doubt, (repeated, in_doubt)
    assert all(sent_to[(c, numbers_by_id[t])] == 2 for c, t in repeated)
    print(f"in doubt at the kills: {len(in_doubt)}, repeated: {len(repeated)}")  # noqa: T201
    assert sum(1 for c, _ in sent_to if c == str(STAFF)) == RESIDENTS  # no card missing
    assert api.internal_errors == []
