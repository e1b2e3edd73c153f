"""bot/outbox.py over a real database: exactly-once delivery with two senders, 429 holds,
transient backoff, permanent failures, leases after a crash, forum topics, message links,
flood limits and the deadline renderers. Time is a FrozenClock plus a fake monotonic clock
advanced by the sender's injected sleep; nothing really sleeps."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channel import SendError, Sent
from bot.outbox import OutboxSender, RetryPolicy
from bot.ratelimit import SendLimits
from handlers import build_renderers
from handlers.types import Reply
from locales import Msg, render
from services.tick import run_tick
from storage.clock import FrozenClock
from storage.db import create_engine
from storage.models import Notification, NotificationState
from storage.uow import UnitOfWork, UowFactory, make_uow_factory
from tests.conftest import PG_URL
from tests.storage.outbox_helpers import drain, enqueue, numbered, states
from tests.storage.world import STAFF_GROUP, World, make_world, sh
from tests.waiting import until

NS = NotificationState
FREE = SendLimits.unlimited()


class FakeTime:
    """Monotonic seconds and a sleep that moves them and the database clock forward."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock, self.now, self.sleeps = clock, 0.0, []  # type: ignore[var-annotated]

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)


class ScriptedChannel:
    """Records what each chat receives (rendered); ``script[chat]`` lists what the next calls
    do: None = deliver, a SendError = raise it."""

    name = "telegram"

    def __init__(self, time: FakeTime | None = None) -> None:
        self.time = time
        self.got: dict[str, list[tuple[str, int | None, float]]] = {}
        self.script: dict[str, list[SendError | None]] = {}
        self.topics: list[tuple[str, str, int]] = []
        self.ids = itertools.count(1)
        self.sent_ids: list[tuple[str, int, int | None]] = []  # chat, message id, ticket id

    def is_group(self, chat_id: str) -> bool:
        return chat_id.startswith("-")

    async def send(
        self, chat_id: str, replies: list[Reply], locale: str, thread_id: int | None = None
    ) -> list[Sent]:
        await asyncio.sleep(0)
        queue = self.script.get(chat_id) or self.script.get("*")
        if queue:
            step = queue.pop(0)
            if step is not None:
                raise step
        out = []
        for r in replies:
            mid = next(self.ids)
            self.got.setdefault(chat_id, []).append(
                (render(locale, r.text), thread_id, self.time.now if self.time else 0.0)
            )
            self.sent_ids.append((chat_id, mid, r.ticket_id))
            out.append(Sent(mid, r))
        return out

    async def create_topic(self, chat_id: str, name: str) -> int:
        tid = 900 + len(self.topics)
        self.topics.append((chat_id, name, tid))
        return tid

    def texts(self, chat_id: str) -> list[str]:
        return [t for t, _, _ in self.got.get(chat_id, [])]


def sender(f: UowFactory, channel: Any, time: FakeTime | None = None, **kw: Any) -> OutboxSender:
    kw.setdefault("render", numbered)
    kw.setdefault("limits", FREE)
    if time is not None:
        kw.update(sleep=time.sleep, monotonic=time.monotonic)
    return OutboxSender(f, channel, **kw)


async def _second_engine(engine: AsyncEngine) -> AsyncEngine:
    """Another engine (another 'process') on the same database."""
    if engine.dialect.name == "postgresql":
        assert PG_URL
        async with engine.connect() as conn:
            schema = (await conn.execute(text("SHOW search_path"))).scalar_one()
        return create_engine(PG_URL, search_path=str(schema).strip('"'))
    return create_engine(engine.url.render_as_string(hide_password=False))


async def test_two_senders_on_one_database_deliver_each_row_exactly_once(
    engine: AsyncEngine, uow_factory: UowFactory, clock: FrozenClock
) -> None:
    chats = [str(1000 + c) for c in range(40)]
    await enqueue(uow_factory, 300, chats)
    other = await _second_engine(engine)
    try:
        ch = ScriptedChannel()
        a = sender(uow_factory, ch, worker_id="A", batch=7)
        b = sender(make_uow_factory(other, clock), ch, worker_id="B", batch=11)
        await asyncio.gather(drain(a), drain(b))
    finally:
        await other.dispose()
    delivered = Counter(t for chat in chats for t in ch.texts(chat))
    assert sorted(delivered) == sorted(f"{i} 分钟" for i in range(300))
    assert set(delivered.values()) == {1}
    assert {r.state for r in await states(uow_factory)} == {NS.sent}


async def test_429_holds_the_sender_and_every_row_arrives_once(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    time = FakeTime(clock)
    ch = ScriptedChannel(time)
    ch.script["*"] = [SendError("retry_after", "Too Many Requests: retry after 5", 5)] * 3
    await enqueue(uow_factory, 12, ["1", "2", "3"])
    await drain(sender(uow_factory, ch, time))
    assert sorted(t for c in "123" for t in ch.texts(c)) == sorted(f"{i} 分钟" for i in range(12))
    assert 5.0 in time.sleeps and sum(time.sleeps) >= 5.0
    assert min(when for c in "123" for _, _, when in ch.got[c]) >= 5.0  # nothing went during the hold
    rows = await states(uow_factory)
    assert {r.state for r in rows} == {NS.sent} and {r.attempts for r in rows} == {0}


async def test_transient_errors_back_off_then_fail_without_losing_the_row(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    ch = ScriptedChannel()
    ch.script["bad"] = [SendError("transient", "Bad Gateway")] * 10
    await enqueue(uow_factory, 2, ["bad", "good"])
    s = sender(uow_factory, ch, retry=RetryPolicy(max_attempts=3), rng=lambda: 0.5)
    await drain(s)
    assert ch.texts("good") == ["1 分钟"]
    for attempts, wait in ((1, 2), (2, 4)):
        [row] = [r for r in await states(uow_factory) if r.chat_id == "bad"]
        assert (row.state, row.attempts, row.last_error) == (NS.pending, attempts, "Bad Gateway")
        assert row.next_attempt_at == clock.now() + timedelta(seconds=wait)
        clock.advance(timedelta(seconds=wait - 1))
        assert await s.drain_once() == 0  # not yet
        clock.advance(timedelta(seconds=1))
        assert await s.drain_once() == 1
    [row] = [r for r in await states(uow_factory) if r.chat_id == "bad"]
    assert (row.state, row.attempts, row.last_error) == (NS.failed, 3, "Bad Gateway")


async def test_permanent_error_fails_the_row_with_the_reason(uow_factory: UowFactory) -> None:
    ch = ScriptedChannel()
    ch.script["gone"] = [SendError("permanent", "Forbidden: bot was blocked by the user")]
    await enqueue(uow_factory, 2, ["gone", "here"])
    await drain(sender(uow_factory, ch))
    by_chat = {r.chat_id: r for r in await states(uow_factory)}
    assert by_chat["gone"].state == NS.failed
    assert by_chat["gone"].last_error == "Forbidden: bot was blocked by the user"
    assert by_chat["here"].state == NS.sent and ch.texts("here") == ["1 分钟"]


async def test_nothing_to_say_marks_sent(uow_factory: UowFactory) -> None:
    async def silent(uow: UnitOfWork, n: Notification) -> list[Reply]:
        return []

    ch = ScriptedChannel()
    await enqueue(uow_factory, 3, ["7"])
    await drain(sender(uow_factory, ch, render=silent))
    assert ch.got == {} and {r.state for r in await states(uow_factory)} == {NS.sent}


async def test_crashed_worker_lease_expires_and_a_lost_claim_never_sends_twice(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    await enqueue(uow_factory, 1, ["9"])
    ch = ScriptedChannel()
    dead = sender(uow_factory, ch, worker_id="dead")
    claimed = await dead._claim(10)  # claimed, then the process "died"
    live = sender(uow_factory, ch, worker_id="live")
    assert await live.drain_once() == 0  # the lease still holds
    clock.advance(timedelta(seconds=RetryPolicy().lease + 1))
    assert await live.drain_once() == 1
    dead._dispatch(claimed)  # the "dead" worker wakes up with its stale claim
    await dead.drain_once()
    assert ch.texts("9") == ["0 分钟"]


async def test_multi_part_notification_resumes_after_the_parts_already_sent(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    async def two(uow: UnitOfWork, n: Notification) -> list[Reply]:
        return [
            Reply(Msg("deadline-late-minutes", {"minutes": "1"})),
            Reply(Msg("deadline-late-minutes", {"minutes": "2"})),
        ]

    ch = ScriptedChannel()
    ch.script["5"] = [None, SendError("transient", "timeout")]
    await enqueue(uow_factory, 1, ["5"])
    s = sender(uow_factory, ch, render=two, rng=lambda: 0.5)
    await drain(s)
    clock.advance(timedelta(seconds=2))
    await drain(s)
    assert ch.texts("5") == ["1 分钟", "2 分钟"]
    [row] = await states(uow_factory)
    assert row.state == NS.sent and row.payload["_sent_parts"] == 1


async def test_flood_limits_are_respected(uow_factory: UowFactory, clock: FrozenClock) -> None:
    time = FakeTime(clock)
    ch = ScriptedChannel(time)
    await enqueue(uow_factory, 12, ["1", "2", "3"])
    await enqueue(uow_factory, 22, ["-100"], start=100)
    limits = SendLimits(global_per_second=2, private_per_second=1.0, group_per_minute=20)
    await drain(sender(uow_factory, ch, time, limits=limits))
    every = sorted(w for c in ch.got for _, _, w in ch.got[c])
    assert len(every) == 34
    assert all(b - a >= 1.0 for a, b in zip(every, every[2:], strict=False))  # <= 2 in any second
    for chat in "123":  # a burst of 3, then no more than 3 in any 3 s
        times = [w for _, _, w in ch.got[chat]]
        assert all(b - a >= 3.0 for a, b in zip(times, times[3:], strict=False))
    group = [w for _, _, w in ch.got["-100"]]
    assert group[20] - group[0] >= 60.0  # 20 per minute in a group


async def test_senders_only_claim_their_channel(uow_factory: UowFactory) -> None:
    await enqueue(uow_factory, 2, ["1"], channel="wecom")
    assert await sender(uow_factory, ScriptedChannel()).drain_once() == 0
    assert {r.state for r in await states(uow_factory)} == {NS.pending}


async def test_run_loop_delivers_on_wake_and_stops(uow_factory: UowFactory) -> None:
    ch = ScriptedChannel()
    s = sender(uow_factory, ch, poll_interval=30.0)
    stop = asyncio.Event()
    task = asyncio.create_task(s.run(stop))
    await enqueue(uow_factory, 5, ["1", "2"])
    s.wake()
    await until(lambda: sum(len(v) for v in ch.got.values()) == 5, what="five deliveries")
    stop.set()
    await asyncio.wait_for(task, 5)
    assert sorted(ch.texts("1") + ch.texts("2")) == sorted(f"{i} 分钟" for i in range(5))


@pytest.fixture
async def world(uow_factory: UowFactory, clock: FrozenClock) -> World:
    return await make_world(uow_factory, clock)


async def test_topics_links_and_deadline_texts(world: World) -> None:
    async with world.f() as uow:
        staff = await uow.accounts.get(world.staff.id or 0)
        assert staff is not None
        staff.locale = "en"
        await uow.commit()
    await world.report("leak")  # ticket card to the staff member and the staff forum
    world.clock.set(sh(2026, 11, 25, 11, 0))
    await run_tick(world.f)  # 50 % of the 2 h first-response target
    world.clock.set(sh(2026, 11, 25, 12, 5))
    await run_tick(world.f)  # overdue: the handlers are told, the community gets it
    ch = ScriptedChannel()
    s = sender(world.f, ch, render=None, renderers=build_renderers())
    await drain(s)
    assert [(c, n) for c, n, _ in ch.topics] == [(STAFF_GROUP, "PG-2026-000001 漏水/渗水")]
    assert {thread for _, thread, _ in ch.got[STAFF_GROUP]} == {900}
    community = "\n".join(ch.texts("502"))
    assert "已升级至社区层级（原因：首次响应超时，已超时 5 分钟）" in community
    staff = "\n".join(ch.texts("501"))
    assert "has used 50% of its first-response time. Please respond by 2026-11-25 12:00" in staff
    assert "is past its first response deadline (2026-11-25 12:00) by 5 min" in staff
    async with world.f() as uow:
        for chat, mid, ticket_id in ch.sent_ids:
            link = await uow.outbox.link("telegram", chat, mid)
            assert (link.ticket_id if link else None) == ticket_id
    assert {r.state for r in await states(world.f)} == {NS.sent}


async def test_two_processes_ticking_and_sending_deliver_each_reminder_once(
    engine: AsyncEngine, world: World
) -> None:
    ticket_ids = [await world.report() for _ in range(5)]  # Wed 10:00; 50 % of one business day at 14:30
    world.clock.set(sh(2026, 11, 25, 14, 30))
    other = await _second_engine(engine)
    ch = ScriptedChannel()
    try:

        async def process(f: UowFactory, name: str) -> None:
            await run_tick(f)
            await drain(sender(f, ch, render=None, renderers=build_renderers(), worker_id=name, batch=3))

        await asyncio.gather(process(world.f, "p1"), process(make_uow_factory(other, world.clock), "p2"))
    finally:
        await other.dispose()
    # one line per ticket, none twice (lines claimed together come bundled in one message)
    reminders = [line for t in ch.texts("501") for line in t.splitlines() if "首次响应时限的 50%" in line]
    assert len(reminders) == 5 and len(set(reminders)) == 5
    topics = [t for t in ch.texts(STAFF_GROUP) if "首次响应时限的 50%" in t]
    assert len(topics) == 5
    async with world.f() as uow:  # one forum topic per ticket (test below: created once)
        assert {(await uow.outbox.topic(t, "telegram", STAFF_GROUP)) is not None for t in ticket_ids} == {
            True
        }
    assert {r.state for r in await states(world.f)} == {NS.sent}


async def test_two_processes_create_a_tickets_topic_once(engine: AsyncEngine, world: World) -> None:
    """PostgreSQL: two senders holding rows of one ticket for one group (its card, a reminder)
    at the same moment create one forum topic; the second waits and uses it (each created one,
    and a duplicate empty topic stayed in the staff group). SQLite runs one process."""
    if engine.dialect.name != "postgresql":
        pytest.skip("several processes share PostgreSQL only")
    ticket_id = await world.report()
    release, creating = asyncio.Event(), asyncio.Event()

    class SlowTopics(ScriptedChannel):
        async def create_topic(self, chat_id: str, name: str) -> int:
            creating.set()
            await release.wait()  # Telegram takes its time; the other sender gets here meanwhile
            return await super().create_topic(chat_id, name)

    ch = SlowTopics()
    other = await _second_engine(engine)
    try:
        rows = [
            Notification(id=i, kind="x", ticket_id=ticket_id, chat_id=STAFF_GROUP, in_topic=True)
            for i in (1, 2)
        ]
        one = asyncio.create_task(sender(world.f, ch, worker_id="p1")._thread(rows[0]))
        await asyncio.wait_for(creating.wait(), 10)
        two = asyncio.create_task(
            sender(make_uow_factory(other, world.clock), ch, worker_id="p2")._thread(rows[1])
        )
        async with engine.connect() as conn:  # p2 waits for the lock p1 holds while creating
            for _ in range(1000):
                waiting = await conn.scalar(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                )
                if waiting or two.done():
                    break
                await asyncio.sleep(0.01)
        assert waiting and not two.done()
        release.set()
        threads = await asyncio.wait_for(asyncio.gather(one, two), 10)
    finally:
        await other.dispose()
    assert len(ch.topics) == 1 and threads == [ch.topics[0][2]] * 2
