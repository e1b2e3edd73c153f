"""What the digests read: the open tickets of a scope with the moment each was answered in
its current queue, the tickets received / closed / rated in a window (services/digest.py
counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import OPEN_STATES, Ticket, TicketEvent, TicketState
from storage.queries.common import responded_at


@dataclass(frozen=True)
class DigestScope:
    compound_ids: tuple[int, ...]
    queue_org_id: int | None = None  # only this queue's tickets (a property company)


def _in_scope(scope: DigestScope) -> Any:
    clause: Any = col(Ticket.compound_id).in_(list(scope.compound_ids))
    if scope.queue_org_id is not None:
        clause = clause & (col(Ticket.queue_org_id) == scope.queue_org_id)
    return clause


@dataclass(frozen=True)
class OpenTicket:
    ticket: Ticket
    responded_at: datetime | None  # first answer in its current queue (a re-route restarts it)


async def open_tickets(session: AsyncSession, scope: DigestScope) -> list[OpenTicket]:
    """The scope's open tickets, by id."""
    q = (
        select(Ticket, responded_at().label("responded_at"))
        .where(_in_scope(scope), col(Ticket.state).in_(OPEN_STATES))
        .order_by(col(Ticket.id))
    )
    return [OpenTicket(t, at) for t, at in (await session.execute(q)).all()]


async def received(
    session: AsyncSession, scope: DigestScope, since: datetime, until: datetime
) -> list[tuple[int, str, datetime]]:
    """(compound id, category, received at) of the tickets received in [since, until)."""
    q = select(col(Ticket.compound_id), col(Ticket.category), col(Ticket.created_at)).where(
        _in_scope(scope), col(Ticket.created_at) >= since, col(Ticket.created_at) < until
    )
    return [(int(c), str(k), at) for c, k, at in (await session.execute(q)).all()]


async def closed_count(session: AsyncSession, scope: DigestScope, since: datetime, until: datetime) -> int:
    q = (
        select(func.count())
        .select_from(Ticket)
        .where(
            _in_scope(scope),
            col(Ticket.state) == TicketState.closed,
            col(Ticket.closed_at) >= since,
            col(Ticket.closed_at) < until,
        )
    )
    return int((await session.execute(q)).scalar_one())


async def stars_rated(
    session: AsyncSession, scope: DigestScope, since: datetime, until: datetime
) -> list[int]:
    """The ratings of the tickets rated in [since, until)."""
    rated = exists().where(
        col(TicketEvent.ticket_id) == col(Ticket.id),
        col(TicketEvent.kind) == "rated",
        col(TicketEvent.at) >= since,
        col(TicketEvent.at) < until,
    )
    q = select(col(Ticket.rating)).where(_in_scope(scope), col(Ticket.rating).is_not(None), rated)
    return [int(r) for r in (await session.execute(q)).scalars().all() if r is not None]
