"""Ticket entry points: open a ticket, and one function per handler action.

Each is one call of ``ticket_machine.apply`` inside the caller's unit of work (the table,
the checks, the event and everything that follows from it live there), or raises a
DomainError and the caller rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from services.errors import DomainError
from services.routing import route
from services.text import clean, visible
from services.ticket_machine import REJECT_REASONS, apply, open_ticket
from services.ticket_rules import Action, EventKind
from storage.models import Account, OrgKind, Source, Ticket, TicketState
from storage.uow import UnitOfWork

__all__ = [
    "REJECT_REASONS",
    "NewTicket",
    "acknowledge",
    "ask_resident",
    "create_ticket",
    "reject",
    "reroute",
    "resolve",
    "staff_message",
    "take",
    "ticket_number",
]


@dataclass
class NewTicket:
    compound_id: int
    category: str
    description: str
    photos: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    unit_id: int | None = None
    # the unit: the reporter's residency's in the compound at the moment of the INSERT
    unit_of_reporter: bool = False
    anonymous: bool = False
    source: Source = Source.chat
    external_ref: str | None = None
    caller_phone: str | None = None


async def number_parts(uow: UnitOfWork, compound_id: int) -> tuple[str, int]:
    """The prefix and year of a new ticket's number in the compound (its district's prefix,
    the year in its district's zone)."""
    compound = await uow.org.get(compound_id)
    assert compound is not None
    district = await uow.org.ancestor_of_kind(compound, OrgKind.district)
    prefix = (
        district.ticket_prefix if district and district.ticket_prefix else uow.config.default_ticket_prefix
    )
    tz = ZoneInfo((district.timezone if district else None) or uow.config.timezone)
    return prefix, uow.clock.now().astimezone(tz).year


async def ticket_number(uow: UnitOfWork, compound_id: int) -> str:
    prefix, year = await number_parts(uow, compound_id)
    return await uow.tickets.take_number(prefix, year)


async def create_ticket(uow: UnitOfWork, reporter: Account | None, new: NewTicket) -> Ticket:
    compound = await uow.org.get(new.compound_id)
    if compound is None or compound.kind != OrgKind.compound:
        raise DomainError("compound_not_found")
    if not visible(new.description):  # empty, or zero-width / control characters only
        raise DomainError("description_empty")
    r = await route(uow, compound, new.category)
    now = uow.clock.now()
    ticket = Ticket(
        number="",  # the next of number_parts, taken by the INSERT
        compound_id=new.compound_id,
        unit_id=new.unit_id,
        category=new.category,
        priority=r.priority,
        description=clean(new.description).strip(),
        photos=list(new.photos),
        latitude=new.latitude,
        longitude=new.longitude,
        reporter_id=reporter.id if reporter else None,
        anonymous=new.anonymous,
        source=new.source,
        external_ref=new.external_ref,
        caller_phone=new.caller_phone,
        queue=r.queue,
        queue_org_id=r.org_id,
        state=TicketState.new,
        created_at=now,
        updated_at=now,
    )
    reporter_unit = (
        (reporter.id, new.compound_id) if new.unit_of_reporter and reporter and reporter.id else None
    )
    await open_ticket(
        uow,
        ticket,
        reporter,
        EventKind.created,
        number=await number_parts(uow, new.compound_id),
        unit_of=reporter_unit,
        queue=r.queue.value,
        source=new.source.value,
        no_company=compound.company_id is None,
    )
    return ticket


async def acknowledge(uow: UnitOfWork, actor: Account, ticket_id: int) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.acknowledge)


async def take(uow: UnitOfWork, actor: Account, ticket_id: int) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.take)


async def ask_resident(uow: UnitOfWork, actor: Account, ticket_id: int, question: str) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.ask, text=question)


async def staff_message(
    uow: UnitOfWork, actor: Account, ticket_id: int, text: str, photos: list[str] | None = None
) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.message, text=text, photos=photos or [])


async def resolve(uow: UnitOfWork, actor: Account, ticket_id: int, note: str | None) -> Ticket:
    return await apply(uow, ticket_id, actor, Action.resolve, note=note)


async def reroute(uow: UnitOfWork, actor: Account, ticket_id: int, note: str | None = None) -> Ticket:
    """Not responsible: the ticket moves to the community queue (never dies)."""
    return await apply(uow, ticket_id, actor, Action.reroute, note=note or "")


async def reject(
    uow: UnitOfWork, actor: Account, ticket_id: int, reason: str, duplicate_of: str | None = None
) -> Ticket:
    """invalid / duplicate (of a ticket number); "not_responsible" re-routes instead."""
    if reason == "not_responsible":
        return await reroute(uow, actor, ticket_id)
    return await apply(uow, ticket_id, actor, Action.reject, reason=reason, duplicate_of=duplicate_of)
