"""Dialect helpers shared by repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

# INSERT … ON CONFLICT DO NOTHING per (dialect, table), built once: the values go in as
# parameters (building a statement costs more CPU than running it)
_IGNORE: dict[tuple[str, Any], Any] = {}


async def insert_ignore(session: AsyncSession, model: type[SQLModel], values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when a row was inserted."""
    dialect = dialect_name(session)
    table = model.__table__  # type: ignore[attr-defined]
    stmt = _IGNORE.get((dialect, table))
    if stmt is None:
        mod: Any = postgresql if dialect == "postgresql" else sqlite
        stmt = _IGNORE[(dialect, table)] = mod.insert(table).on_conflict_do_nothing()
    result = await session.execute(stmt, values)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def dialect_name(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"
