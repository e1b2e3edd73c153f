"""What a resident does with a ticket: add information, answer, confirm, rate."""
from __future__ import annotations

from services import deadlines, notify
from services.errors import DomainError
from services.ratings import RatingScale, satisfaction
from services.ticket_core import load_for_reporter, record
from storage.models import OPEN_STATES, Account, Ticket, TicketState
from storage.uow import UnitOfWork

S = TicketState


async def resident_message(uow: UnitOfWork, actor: Account, ticket_id: int, text: str,
                           photos: list[str] | None = None) -> Ticket:
    """Information from the reporter; an answer to a question resumes the clock."""
    ticket = await load_for_reporter(uow, actor, ticket_id, OPEN_STATES + (S.resolved,))
    answered = ticket.state == S.waiting_resident
    if answered:
        ticket.state, ticket.waiting_since = S.in_progress, None
    ev = await record(uow, ticket, actor, "resident_message", text=text, photos=photos or [],
                      answered=answered)
    if answered:
        await deadlines.on_event(uow, ticket, "resumed")
    await notify.to_handlers(uow, ticket, "relay_to_staff", key=str(ev.id),
                             payload={"text": text, "photos": photos or [], "answered": answered})
    return ticket


async def confirm(uow: UnitOfWork, actor: Account, ticket_id: int, fixed: bool) -> Ticket:
    """"Fixed?" Yes closes the ticket (a rating may follow); No reopens it."""
    ticket = await load_for_reporter(uow, actor, ticket_id, (S.resolved,))
    now = uow.clock.now()
    if fixed:
        ticket.state, ticket.closed_at = S.closed, now
        await record(uow, ticket, actor, "confirmed")
        await deadlines.on_event(uow, ticket, "closed")
        return ticket
    ticket.state, ticket.reopen_count = S.in_progress, ticket.reopen_count + 1
    ticket.resolved_at = None
    ev = await record(uow, ticket, actor, "reopened", count=ticket.reopen_count)
    await deadlines.on_event(uow, ticket, "reopened")
    await notify.to_handlers(uow, ticket, "reopened", key=str(ev.id),
                             payload={"count": ticket.reopen_count})
    return ticket


async def rate(uow: UnitOfWork, actor: Account, ticket_id: int, stars: int,
               scale: RatingScale | None = None) -> Ticket:
    if not 1 <= stars <= 5:
        raise DomainError("bad_rating")
    ticket = await load_for_reporter(uow, actor, ticket_id, (S.closed,))
    if ticket.rating is not None:
        raise DomainError("already_rated", number=ticket.number)
    ticket.rating = stars
    level = satisfaction(stars, scale)
    ev = await record(uow, ticket, actor, "rated", stars=stars, level=level)
    await deadlines.on_event(uow, ticket, "rated")
    await notify.to_handlers(uow, ticket, "rated", key=str(ev.id),
                             payload={"stars": stars, "level": level})
    return ticket


async def comment_rating(uow: UnitOfWork, actor: Account, ticket_id: int, comment: str) -> Ticket:
    """A comment after the stars; it reaches the handlers too."""
    ticket = await load_for_reporter(uow, actor, ticket_id, (S.closed,))
    if ticket.rating is None:
        raise DomainError("not_rated", number=ticket.number)
    if ticket.rating_comment:
        raise DomainError("already_commented", number=ticket.number)
    ticket.rating_comment = comment
    ev = await record(uow, ticket, actor, "rating_comment", text=comment)
    await notify.to_handlers(uow, ticket, "rating_comment", key=str(ev.id), payload={"text": comment})
    return ticket
