"""Async engine creation for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import autocommit


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# a pooled PostgreSQL connection idle longer than this is pinged before use (a server restart
# or a middlebox dropping idle connections); one in steady use is not (a round trip per unit of work)
PING_AFTER_IDLE = 10.0


def create_engine(
    url: str, *, echo: bool = False, search_path: str | None = None, pool: int | None = None
) -> AsyncEngine:
    """Build the engine; nothing connects until first use. `search_path`
    (PostgreSQL) puts every table in that schema, e.g. one per test. `pool` (PostgreSQL): the
    connections kept open; an update waits for one rather than opening another. The bot uses
    one per update in hand: with SQLAlchemy's default (5, and up to 10 more closed again as
    soon as 5 are idle) a burst of 100 residents queued for connections and opened and closed
    them batch after batch (connecting showed in bench/throughput.py's profile)."""
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": 30}
    else:
        if pool is not None:
            kwargs["pool_size"], kwargs["max_overflow"] = pool, 0
        if search_path:
            kwargs["connect_args"] = {"server_settings": {"search_path": search_path}}
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        _tune_sqlite(engine)
    else:
        _ping_when_idle(engine, PING_AFTER_IDLE)
        autocommit.install(engine)  # reads before a unit of work's first write: no BEGIN
    return engine


def _ping_when_idle(engine: AsyncEngine, after: float) -> None:
    """pool_pre_ping, but only for a connection that sat in the pool longer than ``after``
    seconds. A connection lost while in use is still handled: the statement fails with a
    disconnect error, SQLAlchemy invalidates the pool (every older connection is replaced) and
    the dispatcher answers "try again shortly", leaving the update to be delivered again."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since <= after:
            return
        try:
            ok = engine.dialect.do_ping(dbapi_conn)
        except Exception as err:
            raise DisconnectionError("idle connection lost") from err  # the pool reconnects
        if not ok:
            raise DisconnectionError("idle connection lost")


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # aiosqlite: let SQLAlchemy own transactions; WAL lets a reader
        # (the sandbox page, a second process) run beside the writer.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # BEGIN IMMEDIATE: a transaction takes the write lock up front, so two
        # writers serialise instead of failing with "database is locked".
        conn.exec_driver_sql("BEGIN IMMEDIATE")
