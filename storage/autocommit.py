"""Statements outside a transaction, while a unit of work has written nothing (PostgreSQL).

A dialogue step mostly reads (the person's view, a residency, reference data) and writes one
statement at the end: its record and the step it leaves. Wrapped in a transaction that is four
round trips where two do: BEGIN and COMMIT each cost the bot and the server as much CPU as a
small query. Under READ COMMITTED every statement of a transaction reads its own snapshot, so a
read that comes before any write sees what it would have seen inside one.

* ``begin_lazily`` (every unit of work's session, storage/uow.py): each statement commits by
  itself until the first that writes or locks (INSERT/UPDATE/DELETE, SAVEPOINT, a WITH clause,
  ``FOR UPDATE``/``FOR SHARE``, an advisory lock) or streams its result (a server-side cursor
  lives in a transaction); just before that one the driver begins the transaction, which then
  holds the rest of the unit of work as before.
* ``alone(session)``: the statement inside commits by itself when nothing was written yet.

SQLAlchemy's asyncpg adapter begins a transaction lazily, at its connection's first statement,
unless ``autocommit`` is set; ``install`` adds the listener that clears it before a write and
resets the connection when it goes back to the pool. SQLite (one writer, BEGIN IMMEDIATE) keeps
its transactions.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

# set in a pooled connection's info while its statements commit by themselves until a write
READS_ALONE = "gongzhi_reads_alone"
_LOCKS = re.compile(r"\bFOR (?:NO KEY )?UPDATE\b|\bFOR (?:KEY )?SHARE\b|pg_advisory", re.IGNORECASE)


@lru_cache(maxsize=2048)  # a process runs a few hundred distinct statements, again and again
def plain_read(statement: str) -> bool:
    """A statement that neither writes nor locks (the transaction can wait for the next one)."""
    return statement.lstrip()[:6].upper() == "SELECT" and _LOCKS.search(statement) is None


def install(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _begin_before_write(
        conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        info = conn.info
        if not info.get(READS_ALONE):
            return
        # a streamed result reads through a server-side cursor, which lives in a transaction
        streamed = context is not None and context.execution_options.get("stream_results", False)
        if streamed or not plain_read(statement):
            info[READS_ALONE] = False
            conn.connection.dbapi_connection.autocommit = False  # BEGIN goes first

    @event.listens_for(engine.sync_engine, "checkin")
    def _reset(dbapi_conn: Any, record: Any) -> None:
        if record.info.pop(READS_ALONE, None) is not None and dbapi_conn is not None:
            dbapi_conn.autocommit = False


async def _untouched(session: AsyncSession) -> tuple[dict[str, Any], Any] | None:
    """(the pooled connection's info, the driver connection) when the unit of work has sent no
    write to PostgreSQL and holds nothing to flush; None otherwise."""
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql" or session.new or session.deleted or session.dirty:
        return None
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    dbapi: Any = raw.dbapi_connection
    return None if _taken(dbapi, raw.info) else (raw.info, dbapi)


def _taken(dbapi: Any, info: dict[str, Any]) -> bool:
    """Whether the driver connection began a transaction (it holds the rest of the unit of
    work), or is in autocommit chosen by its owner (an isolation_level execution option)."""
    if dbapi is None or getattr(dbapi, "_transaction", True) is not None:
        return True
    return bool(dbapi.autocommit) and not info.get(READS_ALONE)


def begin_lazily(_session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """A unit of work's session began on ``connection`` (the event "after_begin"): until its
    first write, its statements commit by themselves (PostgreSQL)."""
    if transaction.parent is not None or connection.dialect.name != "postgresql":
        return
    dbapi: Any = connection.connection.dbapi_connection
    if _taken(dbapi, connection.info):
        return
    connection.info[READS_ALONE] = True
    dbapi.autocommit = True


@asynccontextmanager
async def alone(session: AsyncSession) -> AsyncIterator[bool]:
    """The statement inside commits by itself when nothing was written before it (yields
    whether it does); afterwards the connection is transactional again."""
    found = await _untouched(session)
    if found is None:
        yield False
        return
    info, dbapi = found
    info[READS_ALONE] = False  # this write too goes alone
    dbapi.autocommit = True
    try:
        yield True
    finally:
        dbapi.autocommit = False
