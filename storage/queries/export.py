"""The rows of a ticket export: each ticket received in a period with its compound and its
reporter's account, streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Account, OrgNode, Ticket


async def ticket_rows(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    compound_ids: Sequence[int] | None = None,
    batch: int = 1000,
) -> AsyncIterator[tuple[Ticket, str, str, Account | None]]:
    """(ticket, compound code, compound name, reporter) of the tickets received in [start, end)
    (only in these compounds when given), oldest first, fetched ``batch`` rows at a time."""
    compound = aliased(OrgNode)
    q = (
        select(Ticket, col(compound.code), col(compound.name), Account)
        .join(compound, col(compound.id) == col(Ticket.compound_id))
        .outerjoin(Account, col(Account.id) == col(Ticket.reporter_id))
        .where(col(Ticket.created_at) >= start, col(Ticket.created_at) < end)
        .order_by(col(Ticket.created_at), col(Ticket.id))
        .execution_options(yield_per=batch)
    )
    if compound_ids is not None:
        q = q.where(col(Ticket.compound_id).in_(list(compound_ids)))
    result = await session.stream(q)
    async for t, code, name, reporter in result:
        yield t, str(code), str(name), reporter
