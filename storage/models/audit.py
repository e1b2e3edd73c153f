"""Append-only audit of privileged actions that leave no other trace (an unmasked export)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from storage.models._base import json_field, ts_field


class AuditLog(SQLModel, table=True):
    """One privileged action: who, when, what and with which parameters. Rows are only ever
    inserted (storage/repos/audit.py has no update or delete; the migration adds triggers
    that refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = ts_field(nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    action: str = Field(max_length=64)
    params: dict[str, Any] = json_field(dict)
