"""Item 7 of issue 10 (audit): ticket events are rows the application cannot edit. The
database refuses DELETE and every UPDATE except an erasure (personal keys dropped, the rest
unchanged, "erased": true), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from services import tickets
from storage.clock import FrozenClock
from storage.models import TicketEvent
from storage.uow import UowFactory
from tests.storage.world import World, make_world


@pytest.fixture
async def world(uow_factory: UowFactory, clock: FrozenClock) -> World:
    return await make_world(uow_factory, clock)


async def _events(world: World, tid: int) -> list[tuple[Any, ...]]:
    async with world.f() as uow:
        return [(e.id, e.at, e.actor_id, e.kind, e.data) for e in await uow.tickets.events(tid)]


async def test_ticket_events_cannot_be_changed_or_removed(world: World) -> None:
    tid = await world.report()
    async with world.f() as uow:
        await tickets.ask_resident(uow, world.staff, tid, "哪一层？")
        await uow.commit()
    before = await _events(world, tid)
    asked = next(e for e in before if e[3] == "asked")
    E = TicketEvent
    refused = [
        update(E).values(kind="resolved"),
        update(E).values(at=world.clock.now() - timedelta(days=1)),
        update(E).values(actor_id=None),
        update(E).where(col(E.id) == asked[0]).values(data={"text": "别的话"}),  # not an erasure
        update(E).where(col(E.id) == asked[0]).values(data={"text": "别的话", "erased": True}),  # altered
        update(E).where(col(E.id) == asked[0]).values(data={"extra": 1, "erased": True}),  # a new key
        update(E).where(col(E.id) == asked[0]).values(kind="note", data={"erased": True}),
        delete(E),
        delete(E).where(col(E.id) == asked[0]),
    ]
    for stmt in refused:
        async with world.f() as uow:
            with pytest.raises(DBAPIError, match="append-only"):
                await uow.session.execute(stmt)
                await uow.commit()
    assert await _events(world, tid) == before
    # an erasure (what services/privacy.py does) is the one change allowed
    async with world.f() as uow:
        await uow.session.execute(update(E).where(col(E.id) == asked[0]).values(data={"erased": True}))
        await uow.commit()
    after = await _events(world, tid)
    assert [e for e in after if e[0] != asked[0]] == [e for e in before if e[0] != asked[0]]
    assert next(e for e in after if e[0] == asked[0])[1:] == (*asked[1:4], {"erased": True})
