"""Helpers for table definitions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def ts_field(*, nullable: bool = True, index: bool = False, default: Any = None) -> Any:
    """A timezone-aware UTC timestamp column."""
    return Field(
        default=default,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


def json_field(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


def enum_field(enum: Any, *, default: Any = ..., index: bool = False, nullable: bool = False) -> Any:
    """An enum stored as VARCHAR (no native ENUM type: migrations stay simple)."""
    from sqlalchemy import Enum as SAEnum

    col: Column[Any] = Column(
        SAEnum(enum, native_enum=False, length=24, values_callable=lambda e: [x.value for x in e]),
        nullable=nullable,
        index=index,
    )
    if default is ...:
        return Field(sa_column=col)
    return Field(default=default, sa_column=col)
