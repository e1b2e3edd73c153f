"""A new ticket is written by one INSERT (issue 14: the submit's statements): its number (on
PostgreSQL taken from the year's sequence by the INSERT itself once the process knows the
sequence exists) and the reporter's unit (read by it) are the ones separate statements gave:
unique, increasing, at least six digits; the unit of the reporter's residency at that moment."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from services.accounts import set_unit
from services.tickets import NewTicket, create_ticket
from storage.clock import FrozenClock
from storage.models import Ticket, TicketCounter, TicketState
from storage.repos.tickets import _sequence_name
from storage.uow import UowFactory
from tests.storage.world import World, make_world


async def _submit(world: World, *, unit_of_reporter: bool = True, external_ref: str | None = None) -> Ticket:
    async with world.f() as uow:
        t = await create_ticket(
            uow,
            world.resident,
            NewTicket(
                world.compound_id,
                "leak",
                "楼道漏水",
                unit_of_reporter=unit_of_reporter,
                external_ref=external_ref,
            ),
        )
        await uow.commit()
    async with world.f() as uow:  # as stored
        stored = await uow.tickets.get(t.id or 0)
        assert stored is not None and (stored.number, stored.unit_id) == (t.number, t.unit_id)
    return t


async def test_the_insert_takes_the_number_and_the_reporters_unit(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    world = await make_world(uow_factory, clock)
    year = clock.now().year
    first = await _submit(world)  # the year's first: the sequence is created (PostgreSQL)
    assert first.number == f"PG-{year}-000001" and first.unit_id is None  # no unit named yet
    async with world.f() as uow:
        await set_unit(uow, world.resident, world.compound_id, "1-1-101")
        await uow.commit()
        res = await uow.accounts.residency(world.resident.id or 0, world.compound_id)
        assert res is not None and res.unit_id is not None
    second = await _submit(world)
    third = await _submit(world, unit_of_reporter=False)
    assert (second.number, second.unit_id) == (f"PG-{year}-000002", res.unit_id)
    assert (third.number, third.unit_id) == (f"PG-{year}-000003", None)
    async with world.f() as uow:  # past six digits, the number grows (it is never cut)
        if uow.session.get_bind().dialect.name == "postgresql":
            await uow.session.execute(
                text(f"ALTER SEQUENCE {_sequence_name('PG', year)} RESTART WITH 1234567")
            )
        else:
            counter = await uow.session.get(TicketCounter, ("PG", year))
            assert counter is not None
            counter.value = 1234566
        await uow.commit()
    assert (await _submit(world)).number == f"PG-{year}-1234567"
    assert (await _submit(world)).number == f"PG-{year}-1234568"


async def test_a_refused_insert_leaves_nothing_in_the_session(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    """A duplicate hotline reference: the INSERT fails, the unit of work rolls back, and the
    next submit gets its own (next) number."""
    world = await make_world(uow_factory, clock)
    year = clock.now().year
    await _submit(world, external_ref="H-1")
    await _submit(world, external_ref="H-2")
    with pytest.raises(IntegrityError):  # the database refuses the duplicate
        await _submit(world, external_ref="H-1")
    t = await _submit(world)
    assert t.number in (f"PG-{year}-000003", f"PG-{year}-000004")  # PostgreSQL: a gap is allowed


async def test_a_ticket_rolled_back_to_a_savepoint_makes_room_for_the_next(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    """The hotline import's pattern: a ticket written inside a savepoint that then fails is
    gone; the next ticket of the same unit of work (on SQLite it may get the same id) is
    stored whole, and its events are its own."""
    world = await make_world(uow_factory, clock)
    async with world.f() as uow:
        with pytest.raises(RuntimeError):
            async with uow.savepoint():
                gone = await create_ticket(uow, world.resident, NewTicket(world.compound_id, "leak", "第一"))
                raise RuntimeError("a later step of the row failed")
        kept = await create_ticket(uow, world.resident, NewTicket(world.compound_id, "leak", "第二"))
        assert [e.kind for e in await uow.tickets.events(kept.id or 0)] == ["created"]
        await uow.commit()
    async with world.f() as uow:
        stored = await uow.tickets.get(kept.id or 0)
        assert stored is not None and stored.description == "第二" and stored.number == kept.number
        assert [t.description for t in await uow.tickets.in_states([TicketState.new])] == ["第二"]
        assert gone.description == "第一"
        assert [e.kind for e in await uow.tickets.events(kept.id or 0)] == ["created"]
