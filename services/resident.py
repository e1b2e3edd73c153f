"""What a reporter does with a ticket: add information or answer, confirm, rate, comment.
Each is one ``ticket_machine.apply``."""

from __future__ import annotations

from services.ticket_machine import apply, lock
from services.ticket_rules import Action
from storage.models import Account, Ticket, TicketState
from storage.uow import UnitOfWork


async def resident_message(
    uow: UnitOfWork, actor: Account, ticket_id: int, text: str, photos: list[str] | None = None
) -> Ticket:
    """Information from the reporter; while a question waits, it is the answer (the clock
    resumes)."""
    ticket = await lock(uow, ticket_id)
    action = Action.answer if ticket.state == TicketState.waiting_resident else Action.add_info
    return await apply(uow, ticket, actor, action, text=text, photos=photos or [])


async def confirm(uow: UnitOfWork, actor: Account, ticket_id: int, fixed: bool) -> Ticket:
    """ "Fixed?" Yes closes the ticket (a rating may follow); No reopens it."""
    return await apply(uow, ticket_id, actor, Action.confirm if fixed else Action.reopen)


async def rate(uow: UnitOfWork, actor: Account, ticket_id: int, stars: int) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.rate, stars=stars)


async def comment_rating(uow: UnitOfWork, actor: Account, ticket_id: int, comment: str) -> Ticket:
    """A comment after the stars; it reaches the handlers too."""
    return await apply(uow, ticket_id, actor, Action.comment, text=comment)
