"""Who runs the scheduler tick when several processes share one database.

PostgreSQL: a session advisory lock (keyed by the schema, so databases or test schemas on one
server do not share it) on a connection of its own. The process holding it ticks; if that
process dies its connection closes, the server releases the lock, and the next process to
try (each tries every tick) takes over, so within one tick period. SQLite: one process, it
always holds it.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)
TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext('gongzhi-tick:' || current_schema()))")


class TickLease:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._conn: AsyncConnection | None = None

    @property
    def shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def held(self) -> bool:
        return not self.shared or self._conn is not None

    async def acquire(self) -> bool:
        """True when this process holds the tick now (taking it when it is free)."""
        if not self.shared:
            return True
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("the tick lease's connection was lost")
                await self.release()
        conn = await self.engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            got = bool((await conn.execute(TRY_LOCK)).scalar())
        except Exception:
            await conn.close()
            raise
        if not got:
            await conn.close()
            return False
        log.info("this process now runs the scheduler tick")
        self._conn = conn
        return True

    async def release(self) -> None:
        """Closing the connection ends the session and with it the lock."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()  # never back into the pool with the lock held
            except Exception:
                log.debug("closing the tick lease's connection failed", exc_info=True)
