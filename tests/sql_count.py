"""Counting the SQL statements a piece of code runs (tests of statements per update)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def statements(engine: AsyncEngine, into: list[str] | None = None) -> Iterator[list[str]]:
    """The SQL statements run meanwhile, whitespace collapsed (not SQLite's BEGIN IMMEDIATE),
    appended to ``into`` (a new list when None)."""
    seen: list[str] = [] if into is None else into

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


@contextmanager
def round_trips(engine: AsyncEngine) -> Iterator[list[str]]:
    """What went to PostgreSQL meanwhile, in order, one entry per query: the statements, and
    the BEGIN, COMMIT and ROLLBACK the driver sends by itself (asyncpg's query loggers see
    those, on every connection checked out of the pool; SQLAlchemy's events do not)."""
    seen: list[str] = []
    logged: list[Any] = []

    def log(q: Any) -> None:
        seen.append(" ".join(q.query.split()))

    def checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        driver = dbapi_conn.driver_connection
        if driver not in logged:
            driver.add_query_logger(log)
            logged.append(driver)

    event.listen(engine.sync_engine, "checkout", checkout)
    try:
        with statements(engine, into=seen):
            yield seen
    finally:
        event.remove(engine.sync_engine, "checkout", checkout)
        for driver in logged:
            driver.remove_query_logger(log)
