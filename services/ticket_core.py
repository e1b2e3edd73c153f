"""Shared steps of every ticket transition: load, check, record, notify."""
from __future__ import annotations

from typing import Any

from services.access import can_handle
from services.errors import InvalidState, NotAllowed, NotFound
from storage.models import Account, Ticket, TicketEvent, TicketState
from storage.uow import UnitOfWork


async def load(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None:
        raise NotFound("ticket")
    return ticket


async def load_for_handler(uow: UnitOfWork, actor: Account, ticket_id: int,
                           allowed: tuple[TicketState, ...]) -> Ticket:
    ticket = await load(uow, ticket_id)
    if not await can_handle(uow, actor, ticket):
        raise NotAllowed(number=ticket.number)
    require_state(ticket, allowed)
    return ticket


async def load_for_reporter(uow: UnitOfWork, actor: Account, ticket_id: int,
                            allowed: tuple[TicketState, ...]) -> Ticket:
    ticket = await load(uow, ticket_id)
    if ticket.reporter_id is None or ticket.reporter_id != actor.id:
        raise NotAllowed(number=ticket.number)
    require_state(ticket, allowed)
    return ticket


def require_state(ticket: Ticket, allowed: tuple[TicketState, ...]) -> None:
    if TicketState(ticket.state) not in allowed:
        raise InvalidState(ticket.state, number=ticket.number)


async def record(uow: UnitOfWork, ticket: Ticket, actor: Account | None, kind: str,
                 **data: Any) -> TicketEvent:
    """Append an event and touch the ticket; returns the flushed event."""
    assert ticket.id is not None
    now = uow.clock.now()
    ticket.updated_at = now
    uow.touched_tickets.add(ticket.id)
    ev = TicketEvent(ticket_id=ticket.id, at=now, actor_id=actor.id if actor else None, kind=kind, data=data)
    uow.tickets.add(ev)
    await uow.flush()
    return ev
