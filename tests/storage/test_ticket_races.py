"""Two people acting on one ticket at the same moment, in two real transactions on two
connections (PostgreSQL: row locks; SQLite: the writer lock). Each pair ends consistent,
and the loser gets a clear refusal, never a silent success."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services import resident, tickets
from services.accounts import Identity, ensure_account, grant
from services.errors import DomainError
from storage.clock import FrozenClock
from storage.models import Account, Role, TicketCounter, TicketState
from storage.uow import UnitOfWork, UowFactory
from tests.storage.world import World, make_world

ROUNDS = 5
Step = Callable[[UnitOfWork], Awaitable[Any]]


async def race(f: UowFactory, ticket_id: int, *steps: Step) -> list[object]:
    """Run each step in its own transaction at once. On PostgreSQL all transactions start
    (BEGIN and a first read) before any acts, so they really overlap; SQLite's BEGIN
    IMMEDIATE makes the second wait for the first. Each transaction already holds a copy of
    the ticket, as a handler that looked at it first does. Returns each result or DomainError
    code."""
    ready = asyncio.Barrier(len(steps))

    async def one(step: Step) -> object:
        try:
            async with f() as uow:
                copy = await uow.tickets.get(ticket_id)  # the transaction is open, with a copy
                if uow.session.get_bind().dialect.name == "postgresql":
                    await ready.wait()
                result = await step(uow)
                await uow.commit()
                assert copy is not None  # (kept alive: the session's identity map holds it weakly)
                return result
        except DomainError as err:
            return err.code

    return list(await asyncio.gather(*(one(s) for s in steps)))


@pytest.fixture
async def world(uow_factory: UowFactory, clock: FrozenClock) -> World:
    return await make_world(uow_factory, clock)


async def _colleague(world: World) -> Account:
    async with world.f() as uow:
        acc = await ensure_account(uow, Identity("telegram", "598", "598", "colleague"))
        node = await uow.org.by_code("YJWY")
        assert node is not None
        await grant(uow, acc, Role.staff, node)
        await uow.commit()
    return acc


async def test_reply_and_resolve_at_once(world: World) -> None:
    for _ in range(ROUNDS):
        tid = await world.report()
        async with world.f() as uow:
            await tickets.ask_resident(uow, world.staff, tid, "哪一层？")
            await uow.commit()
        got = await race(
            world.f,
            tid,
            lambda uow, tid=tid: resident.resident_message(uow, world.resident, tid, "三层"),
            lambda uow, tid=tid: tickets.resolve(uow, world.staff, tid, "已清理"),
        )
        assert not any(isinstance(r, str) for r in got), got  # both are allowed in either order
        t = await world.ticket(tid)
        assert t.state == TicketState.resolved and t.resolved_at is not None and t.waiting_since is None
        kinds = [e.kind for e in await world.events(tid, "resident_message")] + [
            e.kind for e in await world.events(tid, "resolved")
        ]
        assert sorted(kinds) == ["resident_message", "resolved"]


async def test_two_staff_take_at_once(world: World) -> None:
    other = await _colleague(world)
    for _ in range(ROUNDS):
        tid = await world.report()
        got = await race(
            world.f,
            tid,
            lambda uow, tid=tid: tickets.take(uow, world.staff, tid),
            lambda uow, tid=tid: tickets.take(uow, other, tid),
        )
        assert sorted(type(r).__name__ for r in got) == ["Ticket", "str"]
        assert [r for r in got if isinstance(r, str)] == ["taken_by_other"]
        t = await world.ticket(tid)
        winner = world.staff if not isinstance(got[0], str) else other
        assert t.state == TicketState.in_progress and t.assignee_id == winner.id
        assert len(await world.events(tid, "assigned")) == 1


async def test_two_staff_acknowledge_at_once(world: World) -> None:
    other = await _colleague(world)
    for n in range(ROUNDS):
        tid = await world.report()
        got = await race(
            world.f,
            tid,
            lambda uow, tid=tid: tickets.acknowledge(uow, world.staff, tid),
            lambda uow, tid=tid: tickets.acknowledge(uow, other, tid),
        )
        assert sorted(type(r).__name__ for r in got) == ["Ticket", "str"]
        assert [r for r in got if isinstance(r, str)] == ["invalid_state"]
        assert (await world.ticket(tid)).state == TicketState.acknowledged
        assert len(await world.events(tid, "acknowledged")) == 1
        # the reporter is told once
        assert len(await world.rows("acknowledged", world.resident)) == n + 1


async def test_ticket_numbers_do_not_queue_behind_an_open_submit(uow_factory: UowFactory) -> None:
    """PostgreSQL: numbers come from a sequence, so a second submit gets the next one while
    the first is still open (with the counter row it waited for the first to commit: 100
    residents' submits queued on it). SQLite: the counter row in the unit of work's
    transaction (one writer at a time). Either way numbers are unique and increasing, and
    the sequence continues after what the counter row gave out before."""
    async with uow_factory() as uow:
        uow.session.add(TicketCounter(prefix="PG", year=2026, value=41))
        await uow.commit()
    async with uow_factory() as uow:  # the year's first number (creates the sequence)
        assert await uow.tickets.next_number("PG", 2026) == 42
        await uow.commit()
    async with uow_factory() as first:
        assert await first.tickets.next_number("PG", 2026) == 43
        if first.session.get_bind().dialect.name == "postgresql":
            async with uow_factory() as second:  # waited until `first` committed
                n2 = await asyncio.wait_for(second.tickets.next_number("PG", 2026), timeout=10)
                await second.commit()
            assert n2 == 44
            await first.rollback()  # a failed submit leaves a gap: its number stays taken
            async with uow_factory() as third:
                assert await third.tickets.next_number("PG", 2026) == 45
                assert await third.tickets.next_number("PG", 2027) == 1  # a sequence per year
                assert await third.tickets.next_number("XY", 2026) == 1  # and per prefix
                await third.commit()
            return
        await first.commit()
    async with uow_factory() as second:
        assert await second.tickets.next_number("PG", 2026) == 44
        await second.commit()
