"""Every unit of work on PostgreSQL reads without a transaction until its first write
(storage/autocommit.py); what it writes is still one transaction: all of it or none."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.autocommit import alone, plain_read
from storage.clock import FrozenClock
from storage.migrate import upgrade
from storage.models import ProcessedUpdate
from storage.uow import UowFactory, make_uow_factory
from tests.conftest import PG_URL, _pg_engine
from tests.sql_count import round_trips

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
needs_pg = pytest.mark.skipif(not PG_URL, reason="GONGZHI_TEST_DATABASE_URL not set (PostgreSQL tier)")


def test_what_counts_as_a_plain_read() -> None:
    assert plain_read("SELECT account.id FROM account WHERE account.id = $1")
    assert plain_read("  select nextval('ticket_no_pg_2026')")
    assert not plain_read("SELECT ticket.id FROM ticket WHERE ticket.id = $1 FOR UPDATE")
    assert not plain_read("SELECT outbox.id FROM outbox FOR UPDATE SKIP LOCKED")
    assert not plain_read("SELECT x FROM t FOR NO KEY UPDATE")
    assert not plain_read("SELECT x FROM t FOR SHARE")
    assert not plain_read("SELECT pg_advisory_xact_lock(hashtext($1))")
    assert not plain_read("WITH rec AS (INSERT INTO processed_update VALUES (1)) SELECT count(*) FROM rec")
    assert not plain_read("INSERT INTO t VALUES (1)")
    assert not plain_read("UPDATE t SET x = 1")


@pytest.fixture
async def pg() -> AsyncIterator[AsyncEngine]:
    async for e in _pg_engine():
        await upgrade(e)
        yield e


def _factory(engine: AsyncEngine) -> UowFactory:
    return make_uow_factory(engine, FrozenClock(NOW))


async def _recorded(factory: UowFactory, *ids: int) -> list[int]:
    async with factory() as uow:
        q = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id.in_(ids))  # type: ignore[attr-defined]
        return sorted((await uow.session.execute(q)).scalars())


@pytest.mark.postgres
@needs_pg
@pytest.mark.parametrize("ending", ["rollback", "error"])
async def test_writes_after_reads_alone_are_one_transaction(pg: AsyncEngine, ending: str) -> None:
    factory = _factory(pg)
    with round_trips(pg) as sent:
        try:
            async with factory() as uow:
                await uow.session.execute(text("SELECT 1"))
                await uow.conversations.mark_processed("telegram", 1, NOW)
                await uow.conversations.mark_processed("telegram", 2, NOW)
                if ending == "error":
                    raise RuntimeError("the handler failed")
                await uow.rollback()
        except RuntimeError:
            pass
    assert await _recorded(factory, 1, 2) == []  # neither write stayed
    kinds = [q.split()[0].upper() for q in sent]
    assert kinds[:3] == ["SELECT", "BEGIN", "INSERT"], sent  # the read alone, then a transaction
    assert kinds[-1] == "ROLLBACK" and "COMMIT" not in kinds, sent


@pytest.mark.postgres
@needs_pg
async def test_a_locking_read_begins_the_transaction(pg: AsyncEngine) -> None:
    factory = _factory(pg)
    async with factory() as uow:
        await uow.conversations.mark_processed("telegram", 5, NOW)
        await uow.commit()
    with round_trips(pg) as sent:
        async with factory() as uow:
            await uow.session.execute(
                text("SELECT update_id FROM processed_update WHERE update_id = 5 FOR UPDATE")
            )
            await uow.commit()
    assert [q.split()[0].upper() for q in sent] == ["BEGIN", "SELECT", "COMMIT"], sent


@pytest.mark.postgres
@needs_pg
async def test_the_pool_gets_its_connection_back_transactional(pg: AsyncEngine) -> None:
    factory = _factory(pg)
    for _ in range(3):  # every pooled connection left in the middle of reading alone
        async with factory() as uow:
            await uow.session.execute(text("SELECT 1"))
    for uid in (11, 12, 13):
        async with factory() as uow:
            await uow.conversations.mark_processed("telegram", uid, NOW)
            await uow.rollback()
    for uid in (14, 15, 16):  # plain connections (no unit of work) too
        async with pg.connect() as conn:
            insert = "INSERT INTO processed_update (channel, update_id, processed_at) VALUES ('t', :u, now())"
            await conn.execute(text(insert), {"u": uid})
            await conn.rollback()
    assert await _recorded(factory, 11, 12, 13, 14, 15, 16) == []


@pytest.mark.postgres
@needs_pg
async def test_one_statement_alone_only_before_any_write(pg: AsyncEngine) -> None:
    factory = _factory(pg)
    async with factory() as uow:
        async with alone(uow.session) as by_itself:
            assert by_itself
            await uow.conversations.mark_processed("telegram", 21, NOW)
        await uow.rollback()  # too late: it committed by itself
    assert await _recorded(factory, 21) == [21]
    async with factory() as uow:
        await uow.conversations.mark_processed("telegram", 22, NOW)
        async with alone(uow.session) as by_itself:
            assert not by_itself  # a transaction holds the first write: this joins it
            await uow.conversations.mark_processed("telegram", 23, NOW)
        await uow.rollback()
    assert await _recorded(factory, 22, 23) == []


async def test_sqlite_keeps_its_transactions(sqlite_engine: AsyncEngine) -> None:
    factory = _factory(sqlite_engine)
    async with factory() as uow:
        await uow.session.execute(text("SELECT 1"))
        async with alone(uow.session) as by_itself:
            assert not by_itself
            await uow.conversations.mark_processed("telegram", 31, NOW)
        await uow.rollback()
    assert await _recorded(factory, 31) == []


@pytest.mark.postgres
@needs_pg
async def test_a_streamed_read_begins_the_transaction(pg: AsyncEngine) -> None:
    """A server-side cursor lives in a transaction (the export streams its rows)."""
    factory = _factory(pg)
    async with factory() as uow:
        for uid in (41, 42):
            await uow.conversations.mark_processed("telegram", uid, NOW)
        await uow.commit()
    with round_trips(pg) as sent:
        async with factory() as uow:
            q = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id.in_((41, 42)))  # type: ignore[attr-defined]
            rows = await uow.session.stream_scalars(q)
            assert sorted([uid async for uid in rows]) == [41, 42]
    assert [q.split()[0] for q in sent][:2] == ["BEGIN", "SELECT"], sent
