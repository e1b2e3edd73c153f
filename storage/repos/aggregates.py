"""Governance aggregates: rows locked for a change, their append-only events, their duties."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import AggregateEvent, Duty, DutyState
from storage.repos._util import dialect_name

M = TypeVar("M")


class AggregateRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- the aggregates' own rows ---------------------------------------------------------------
    def add(self, obj: object) -> None:
        self.s.add(obj)

    async def flush(self) -> None:
        await self.s.flush()

    async def get(self, model: type[M], row_id: int) -> M | None:
        return await self.s.get(model, row_id)

    async def lock(self, model: type[M], row_id: int) -> M | None:
        """The row, locked for this transaction (PostgreSQL) and re-read, overwriting any
        copy the session holds; SQLite's BEGIN IMMEDIATE already serialises writers."""
        pk = model.__table__.c.id  # type: ignore[attr-defined]
        q = select(model).where(pk == row_id).with_for_update()
        return (await self.s.execute(q.execution_options(populate_existing=True))).scalars().first()

    # -- events ---------------------------------------------------------------------------------
    async def add_event(
        self,
        *,
        aggregate: str,
        aggregate_id: int,
        at: datetime,
        actor_id: int | None,
        kind: str,
        data: dict[str, Any],
    ) -> AggregateEvent:
        ev = AggregateEvent(
            aggregate=aggregate,
            aggregate_id=aggregate_id,
            at=at,
            actor_id=actor_id,
            kind=kind,
            data=dict(data),
        )
        self.s.add(ev)
        await self.s.flush()
        return ev

    async def events(self, aggregate: str, aggregate_id: int) -> Sequence[AggregateEvent]:
        q = select(AggregateEvent).where(
            AggregateEvent.aggregate == aggregate, AggregateEvent.aggregate_id == aggregate_id
        )
        return (await self.s.execute(q.order_by(col(AggregateEvent.id)))).scalars().all()

    # -- duties ---------------------------------------------------------------------------------
    async def add_duty(self, duty: Duty) -> Duty:
        self.s.add(duty)
        await self.s.flush()
        return duty

    async def duties(self, aggregate: str, aggregate_id: int) -> Sequence[Duty]:
        q = select(Duty).where(Duty.aggregate == aggregate, Duty.aggregate_id == aggregate_id)
        return (await self.s.execute(q.order_by(col(Duty.id)))).scalars().all()

    async def duty(self, duty_id: int) -> Duty | None:
        return await self.s.get(Duty, duty_id)

    async def due_duties(self, now: datetime, limit: int, seen: set[int]) -> list[int]:
        """Ids of duties with a reminder or deadline moment passed, earliest first."""
        q = select(Duty.id).where(col(Duty.next_check_at) <= now)
        if seen:
            q = q.where(col(Duty.id).notin_(seen))
        q = q.order_by(col(Duty.next_check_at), col(Duty.id)).limit(limit)
        return [int(r[0]) for r in (await self.s.execute(q)).all()]

    async def hold_duty_if_due(self, duty_id: int, now: datetime) -> Duty | None:
        """The duty, locked for this transaction, if still due; None when another process
        holds it (PostgreSQL: SKIP LOCKED) or it was handled meanwhile."""
        q = select(Duty).where(Duty.id == duty_id, col(Duty.next_check_at) <= now)
        if dialect_name(self.s) == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return (await self.s.execute(q.execution_options(populate_existing=True))).scalars().first()

    async def open_duties_of(
        self, holder_org_ids: Sequence[int], account_id: int | None, aggregate: str | None = None
    ) -> Sequence[Duty]:
        """Open or missed duties held by these org nodes or this account."""
        by_org = col(Duty.holder_org_id).in_(list(holder_org_ids))
        who = by_org if account_id is None else or_(by_org, col(Duty.holder_account_id) == account_id)
        q = select(Duty).where(who, col(Duty.state).in_([DutyState.open, DutyState.missed]))
        if aggregate is not None:
            q = q.where(Duty.aggregate == aggregate)
        return (await self.s.execute(q.order_by(col(Duty.due_at), col(Duty.id)))).scalars().all()

    async def cancel_duties(self, aggregate: str, aggregate_id: int, now: datetime) -> int:
        """Every duty still owed on the aggregate is cancelled (e.g. it was closed)."""
        res = await self.s.execute(
            update(Duty)
            .where(
                col(Duty.aggregate) == aggregate,
                col(Duty.aggregate_id) == aggregate_id,
                col(Duty.state).in_([DutyState.open, DutyState.missed]),
            )
            .values(state=DutyState.cancelled, next_check_at=None, checked_at=now)
        )
        return int(res.rowcount)  # type: ignore[attr-defined]
