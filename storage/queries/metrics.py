"""Counts behind the 接诉即办 rates, per compound, for the tickets received in a period
(services/metrics.py turns them into rates and rolls them up the org tree), the re-routes
of those tickets, and the open / overdue counts of the digests.

"Due" means at the moment ``now`` given by the caller: a ticket whose deadline has not
passed and that was not answered (resolved) yet is pending, neither a success nor a failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OPEN_STATES, Queue, TicketState
from storage.queries.common import (
    EVENTS,
    REROUTED,
    TICKETS,
    T,
    count_if,
    responded_at,
    valid_ticket,
)


@dataclass(frozen=True)
class Counts:
    """Ticket counts of one compound (or, added up, of a group of compounds)."""

    total: int = 0  # received
    valid: int = 0  # not rejected as invalid / duplicate
    response_counted: int = 0  # answered, or not answered and past the first-response due
    responded_on_time: int = 0  # answered by the first-response due (or with no due)
    resolution_counted: int = 0  # valid and resolved, or valid and past the resolution due
    resolved: int = 0  # valid and resolved (or closed after resolution)
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    standard_total: int = 0  # valid property-queue tickets whose outcome is known
    standard_met: int = 0
    bounced: int = 0  # re-routed by a property company as "not responsible"

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def response_pending(self) -> int:
        """Not answered yet and still within the first-response due."""
        return self.total - self.response_counted

    @property
    def resolution_pending(self) -> int:
        """Valid, not resolved yet and still within the resolution due."""
        return self.valid - self.resolution_counted


def _count_columns(c: Any, now: datetime, satisfied_min: int, basic_min: int) -> list[Any]:
    valid = valid_ticket(c.state, c.reject_reason)
    answered = c.responded_at.is_not(None)
    on_time = and_(answered, or_(c.first_response_due.is_(None), c.responded_at <= c.first_response_due))
    response_missed = or_(
        and_(not_(answered), c.first_response_due <= now),
        and_(answered, c.first_response_due.is_not(None), c.responded_at > c.first_response_due),
    )
    resolved = and_(
        c.resolved_at.is_not(None), c.state.in_((TicketState.resolved.value, TicketState.closed.value))
    )
    resolution_missed = and_(not_(resolved), c.resolution_due <= now)
    property_queue = and_(valid, c.queue == Queue.property.value)
    met = and_(
        property_queue,
        on_time,
        resolved,
        or_(c.resolution_due.is_(None), c.resolved_at <= c.resolution_due),
        or_(c.rating.is_(None), c.rating >= basic_min),
    )
    return [
        func.count(),
        count_if(valid),
        count_if(or_(answered, c.first_response_due <= now)),
        count_if(on_time),
        count_if(and_(valid, or_(resolved, resolution_missed))),
        count_if(and_(valid, resolved)),
        count_if(c.rating.is_not(None)),
        count_if(c.rating >= satisfied_min),
        count_if(and_(c.rating >= basic_min, c.rating < satisfied_min)),
        count_if(and_(property_queue, or_(resolved, response_missed, resolution_missed))),
        count_if(met),
    ]


async def compound_counts(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    compound_ids: Sequence[int] | None = None,
    satisfied_min: int = 4,
    basic_min: int = 3,
) -> dict[int, Counts]:
    """Counts per compound of the tickets received in [start, end), as they stand at ``now``
    (``bounced`` is left 0: see ``reroutes``). Ratings: ``satisfied_min`` stars and up are
    满意, ``basic_min`` up to that 基本满意."""
    per_ticket = select(
        T.compound_id,
        T.state,
        T.reject_reason,
        T.queue,
        T.rating,
        T.first_response_due,
        T.resolution_due,
        T.resolved_at,
        responded_at().label("responded_at"),
    ).where(T.created_at >= start, T.created_at < end)
    if compound_ids is not None:
        per_ticket = per_ticket.where(T.compound_id.in_(list(compound_ids)))
    sub = per_ticket.subquery()
    q = select(sub.c.compound_id, *_count_columns(sub.c, now, satisfied_min, basic_min)).group_by(
        sub.c.compound_id
    )
    rows = (await session.execute(q)).all()
    return {int(r[0]): Counts(*(int(v) for v in r[1:])) for r in rows}


@dataclass(frozen=True)
class Reroute:
    ticket_id: int
    compound_id: int
    reason: str | None
    from_code: str | None  # the org code of the queue that let it go (None in old rows)


async def reroutes(
    session: AsyncSession, start: datetime, end: datetime, *, compound_ids: Sequence[int] | None = None
) -> list[Reroute]:
    """The "rerouted" events of the tickets received in [start, end), oldest first."""
    ev = EVENTS.c
    q = (
        select(ev.ticket_id, T.compound_id, ev.data)
        .select_from(EVENTS.join(TICKETS, ev.ticket_id == T.id))
        .where(ev.kind == REROUTED, T.created_at >= start, T.created_at < end)
        .order_by(ev.id)
    )
    if compound_ids is not None:
        q = q.where(T.compound_id.in_(list(compound_ids)))
    out = []
    for ticket_id, compound_id, data in (await session.execute(q)).all():
        d: dict[str, Any] = dict(data or {})
        reason, source = d.get("reason"), d.get("from")
        out.append(
            Reroute(
                int(ticket_id),
                int(compound_id),
                None if reason is None else str(reason),
                None if source is None else str(source),
            )
        )
    return out


async def open_and_overdue(
    session: AsyncSession, compound_ids: Sequence[int], now: datetime
) -> tuple[int, int]:
    """Open tickets of these compounds and those of them overdue at ``now``: past the
    resolution due, or not answered (in their current queue) past the first-response due."""
    # the cheap comparisons first: the event lookups run only for tickets past their response due
    overdue = or_(T.resolution_due < now, and_(T.first_response_due < now, responded_at().is_(None)))
    q = select(func.count(), count_if(overdue)).where(
        T.compound_id.in_(list(compound_ids)), T.state.in_([s.value for s in OPEN_STATES])
    )
    n_open, n_overdue = (await session.execute(q)).one()
    return int(n_open), int(n_overdue)


async def received(
    session: AsyncSession, compound_ids: Sequence[int], since: datetime, until: datetime
) -> int:
    """Tickets of these compounds received in [since, until]."""
    q = select(func.count()).where(
        T.compound_id.in_(list(compound_ids)), T.created_at >= since, T.created_at <= until
    )
    return int((await session.execute(q)).scalar_one())
