"""The version stamp of the reference data (org tree, routing rules, SLA, escalation and
calendar policies). Every write to those tables adds one to ``version`` in the same
transaction (storage/refcache.py), so each process's cache of them knows when to let go."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RefVersion(SQLModel, table=True):
    __tablename__ = "ref_version"

    id: int = Field(default=1, primary_key=True)  # one row, id 1
    version: int = 0
