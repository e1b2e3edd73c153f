"""The runtime's tick runs the scheduled jobs (digests, plan items, ranking)
and writes each notification once, however often it runs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.background import run_scheduled_jobs
from storage.clock import FrozenClock
from storage.models import Notification, Role
from storage.uow import UnitOfWork, UowFactory
from tests.storage.governance_seed import person, seed_org


async def _kinds(f: UowFactory) -> list[tuple[str, int | None]]:
    async with f() as uow:
        rows = (await uow.session.execute(select(Notification))).scalars().all()
        return sorted((n.kind, n.account_id) for n in rows)


async def test_digest_is_written_once_on_a_working_morning(
    uow_factory: UowFactory, clock: FrozenClock
) -> None:
    await seed_org(uow_factory)
    worker = await person(uow_factory, "mali", Role.community, "BH-XY")
    clock.set(datetime(2026, 11, 25, 0, 10, tzinfo=UTC))  # Wed 08:10 Beijing
    await run_scheduled_jobs(uow_factory)
    await run_scheduled_jobs(uow_factory)
    assert await _kinds(uow_factory) == [("digest", worker)]


async def test_nothing_before_the_digest_time(uow_factory: UowFactory, clock: FrozenClock) -> None:
    await seed_org(uow_factory)
    await person(uow_factory, "mali", Role.community, "BH-XY")
    clock.set(datetime(2026, 11, 24, 23, 0, tzinfo=UTC))  # Wed 07:00 Beijing
    await run_scheduled_jobs(uow_factory)
    assert await _kinds(uow_factory) == []


async def _handled(f: UowFactory, update_id: int) -> bool:
    """True when the update id is new (recorded now), False for a redelivery."""
    async with f() as uow:
        new = await uow.conversations.mark_processed("telegram", update_id, uow.clock.now())
        await uow.commit()
        return new


async def test_processed_update_ids_expire_after_the_ttl(uow_factory: UowFactory, clock: FrozenClock) -> None:
    assert await _handled(uow_factory, 1)
    clock.advance(timedelta(days=6, hours=23))
    assert await _handled(uow_factory, 2)
    clock.advance(timedelta(hours=2))  # id 1 is 7 days 1 hour old, id 2 two hours
    await run_scheduled_jobs(uow_factory)
    assert await _handled(uow_factory, 1) and not await _handled(uow_factory, 2)
    clock.advance(timedelta(hours=3))  # a shorter, configured ttl
    await run_scheduled_jobs(_with_ttl(uow_factory, timedelta(hours=4)))
    assert not await _handled(uow_factory, 1) and await _handled(uow_factory, 2)


def _with_ttl(f: UowFactory, ttl: timedelta) -> UowFactory:
    """Units of work whose configuration keeps handled update ids only ``ttl`` long."""

    def make() -> UnitOfWork:
        uow = f()
        uow.config = dataclasses.replace(uow.config, processed_update_ttl=ttl)
        return uow

    return make
