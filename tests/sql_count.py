"""Counting the SQL statements a piece of code runs (tests of statements per update)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@contextmanager
def statements(
    engine: AsyncEngine, into: list[str] | None = None, when: str = "before_cursor_execute"
) -> Iterator[list[str]]:
    """The SQL statements run meanwhile, whitespace collapsed (not SQLite's BEGIN IMMEDIATE),
    appended to ``into`` (a new list when None) as they start (or, ``when`` is
    "after_cursor_execute", once they ran)."""
    seen: list[str] = [] if into is None else into

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, when, count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, when, count)


@contextmanager
def round_trips(engine: AsyncEngine) -> Iterator[list[str]]:
    """What went to PostgreSQL meanwhile, in order, one entry per query: the statements, and
    the BEGIN, COMMIT and ROLLBACK the driver sends by itself (asyncpg's transactions, which
    SQLAlchemy's events do not see)."""
    from asyncpg.transaction import Transaction

    seen: list[str] = []
    originals = {name: getattr(Transaction, name) for name in ("start", "commit", "rollback")}

    def noting(name: str) -> Any:
        original = originals[name]

        async def sent(self: Transaction) -> None:
            seen.append("BEGIN" if name == "start" else name.upper())
            await original(self)

        return sent

    for name in originals:
        setattr(Transaction, name, noting(name))
    try:
        # noted once run: the driver begins a transaction inside a statement's execution
        with statements(engine, into=seen, when="after_cursor_execute"):
            yield seen
    finally:
        for name, original in originals.items():
            setattr(Transaction, name, original)
