"""Ticket lifecycle: report, acknowledge, take, ask, resolve, reject, relay.

Each function is one transition inside the caller's unit of work: it writes
the ticket, a TicketEvent and the notifications together, or raises a
DomainError and the caller rolls everything back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from services import deadlines, notify
from services.errors import DomainError
from services.routing import community_of, route
from services.ticket_core import load_for_handler, record
from storage.models import (
    OPEN_STATES,
    Account,
    OrgKind,
    Queue,
    Source,
    Ticket,
    TicketState,
)
from storage.uow import UnitOfWork

S = TicketState


@dataclass
class NewTicket:
    compound_id: int
    category: str
    description: str
    photos: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    unit_id: int | None = None
    anonymous: bool = False
    source: Source = Source.chat
    external_ref: str | None = None
    caller_phone: str | None = None


async def ticket_number(uow: UnitOfWork, compound_id: int, default_prefix: str = "PG") -> str:
    compound = await uow.org.get(compound_id)
    assert compound is not None
    district = await uow.org.ancestor_of_kind(compound, OrgKind.district)
    prefix = (district.ticket_prefix if district and district.ticket_prefix else default_prefix)
    tz = ZoneInfo((district.timezone if district and district.timezone else None) or "Asia/Shanghai")
    year = uow.clock.now().astimezone(tz).year
    seq = await uow.tickets.next_number(prefix, year)
    return f"{prefix}-{year}-{seq:06d}"


async def create_ticket(uow: UnitOfWork, reporter: Account | None, new: NewTicket) -> Ticket:
    compound = await uow.org.get(new.compound_id)
    if compound is None or compound.kind != OrgKind.compound:
        raise DomainError("compound_not_found")
    if not new.description.strip():
        raise DomainError("description_empty")
    r = await route(uow, compound, new.category)
    now = uow.clock.now()
    ticket = Ticket(
        number=await ticket_number(uow, new.compound_id), compound_id=new.compound_id,
        unit_id=new.unit_id, category=new.category, priority=r.priority,
        description=new.description.strip(), photos=list(new.photos),
        latitude=new.latitude, longitude=new.longitude,
        reporter_id=reporter.id if reporter else None, anonymous=new.anonymous,
        source=new.source, external_ref=new.external_ref, caller_phone=new.caller_phone,
        queue=r.queue, queue_org_id=r.org_id, state=S.new, created_at=now, updated_at=now,
    )
    uow.tickets.add(ticket)
    await uow.flush()
    ev = await record(uow, ticket, reporter, "created", queue=r.queue.value, source=new.source.value)
    await deadlines.on_event(uow, ticket, "created")
    await notify.to_queue(uow, ticket, "ticket_card", key=str(ev.id))
    return ticket


async def acknowledge(uow: UnitOfWork, actor: Account, ticket_id: int) -> Ticket:
    ticket = await load_for_handler(uow, actor, ticket_id, (S.new,))
    ticket.state, ticket.acknowledged_at = S.acknowledged, uow.clock.now()
    ev = await record(uow, ticket, actor, "acknowledged")
    await deadlines.on_event(uow, ticket, "acknowledged")
    await _tell_reporter(uow, ticket, "acknowledged", ev.id)
    return ticket


async def take(uow: UnitOfWork, actor: Account, ticket_id: int) -> Ticket:
    ticket = await load_for_handler(uow, actor, ticket_id, (S.new, S.acknowledged, S.in_progress))
    if ticket.assignee_id == actor.id and ticket.state == S.in_progress:
        raise DomainError("already_yours", number=ticket.number)
    if ticket.acknowledged_at is None:
        ticket.acknowledged_at = uow.clock.now()
    ticket.assignee_id, ticket.state = actor.id, S.in_progress
    ev = await record(uow, ticket, actor, "assigned", assignee=actor.id)
    await deadlines.on_event(uow, ticket, "assigned")
    await _tell_reporter(uow, ticket, "taken", ev.id, staff=actor.display_name)
    return ticket


async def ask_resident(uow: UnitOfWork, actor: Account, ticket_id: int, question: str) -> Ticket:
    ticket = await load_for_handler(uow, actor, ticket_id, (S.new, S.acknowledged, S.in_progress))
    if ticket.reporter_id is None:
        raise DomainError("no_reporter", number=ticket.number)
    now = uow.clock.now()
    if ticket.acknowledged_at is None:
        ticket.acknowledged_at = now
    ticket.state, ticket.waiting_since = S.waiting_resident, now
    ev = await record(uow, ticket, actor, "asked", text=question)
    await deadlines.on_event(uow, ticket, "paused")
    await _tell_reporter(uow, ticket, "question", ev.id, text=question)
    return ticket


async def staff_message(uow: UnitOfWork, actor: Account, ticket_id: int, text: str,
                        photos: list[str] | None = None) -> Ticket:
    ticket = await load_for_handler(uow, actor, ticket_id, OPEN_STATES + (S.resolved,))
    if ticket.reporter_id is None:
        raise DomainError("no_reporter", number=ticket.number)
    if ticket.acknowledged_at is None:
        ticket.acknowledged_at = uow.clock.now()
        ticket.state = S.acknowledged if ticket.state == S.new else ticket.state
        await deadlines.on_event(uow, ticket, "acknowledged")
    ev = await record(uow, ticket, actor, "staff_message", text=text, photos=photos or [])
    await _tell_reporter(uow, ticket, "relay_to_resident", ev.id, text=text, photos=photos or [])
    return ticket


async def resolve(uow: UnitOfWork, actor: Account, ticket_id: int, note: str | None) -> Ticket:
    ticket = await load_for_handler(uow, actor, ticket_id, OPEN_STATES)
    now = uow.clock.now()
    ticket.state, ticket.resolved_at = S.resolved, now
    ticket.acknowledged_at = ticket.acknowledged_at or now
    ticket.resolution_note, ticket.waiting_since = note, None
    ticket.assignee_id = ticket.assignee_id or actor.id
    ev = await record(uow, ticket, actor, "resolved", note=note or "")
    await deadlines.on_event(uow, ticket, "resolved")
    await _tell_reporter(uow, ticket, "resolved", ev.id, note=note or "")
    return ticket


REJECT_REASONS = ("not_responsible", "duplicate", "invalid")


async def reject(uow: UnitOfWork, actor: Account, ticket_id: int, reason: str,
                 duplicate_of: str | None = None) -> Ticket:
    if reason not in REJECT_REASONS:
        raise DomainError("unknown_reason")
    ticket = await load_for_handler(uow, actor, ticket_id, OPEN_STATES)
    if reason == "not_responsible":
        return await _reroute_to_community(uow, actor, ticket)
    other_number = None
    if reason == "duplicate":
        other = await uow.tickets.by_number((duplicate_of or "").strip().upper())
        if other is None or other.id == ticket.id:
            raise DomainError("duplicate_not_found", number=(duplicate_of or "")[:32])
        ticket.duplicate_of_id, other_number = other.id, other.number
    ticket.state, ticket.reject_reason, ticket.closed_at = S.rejected, reason, uow.clock.now()
    ev = await record(uow, ticket, actor, "rejected", reason=reason, duplicate_of=other_number)
    await deadlines.on_event(uow, ticket, "closed")
    await _tell_reporter(uow, ticket, "rejected", ev.id, reason=reason, other=other_number or "")
    return ticket


async def _reroute_to_community(uow: UnitOfWork, actor: Account, ticket: Ticket) -> Ticket:
    """A property company's "not ours" does not end a ticket: the community gets it."""
    if ticket.queue == Queue.community:
        raise DomainError("cannot_reroute", number=ticket.number)
    compound = await uow.org.get(ticket.compound_id)
    assert compound is not None
    community = await community_of(uow, compound)
    assert community.id is not None
    ticket.queue, ticket.queue_org_id = Queue.community, community.id
    ticket.state, ticket.assignee_id, ticket.waiting_since = S.new, None, None
    ticket.reject_reason = "not_responsible"
    ev = await record(uow, ticket, actor, "rerouted", reason="not_responsible", to=community.code)
    await deadlines.on_event(uow, ticket, "rerouted")
    await notify.to_queue(uow, ticket, "ticket_card", key=str(ev.id))
    await _tell_reporter(uow, ticket, "rerouted", ev.id, community=community.name)
    return ticket


async def _tell_reporter(uow: UnitOfWork, ticket: Ticket, kind: str, event_id: int | None,
                         **payload: object) -> None:
    if ticket.reporter_id is not None:
        await notify.to_account(uow, ticket.reporter_id, kind, ticket=ticket, key=str(event_id),
                                payload=dict(payload))
