"""Ticket texts and buttons shared by the flows and the notification renderer."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.types import Button, Reply, msg
from locales import Msg
from services.errors import DomainError
from services.export import mask_phone
from storage.models import Account, Ticket, TicketState
from storage.uow import UnitOfWork

S = TicketState


def local_time(dt: datetime | None, tz: str) -> str:
    if dt is None:
        return "-"
    return dt.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


async def place(uow: UnitOfWork, ticket: Ticket) -> str:
    compound = await uow.org.get(ticket.compound_id)
    name = compound.name if compound else "?"
    if ticket.unit_id is not None:
        unit = await uow.org.unit_by_id(ticket.unit_id)
        if unit is not None:
            return f"{name} {unit.code}"
    return name


async def reporter_label(uow: UnitOfWork, ticket: Ticket, *, handler_view: bool) -> Msg:
    """Anonymous reporters are shown only to the handling staff (PIPL)."""
    if ticket.reporter_id is None:
        phone = ticket.caller_phone if handler_view else mask_phone(ticket.caller_phone)
        return msg("reporter-hotline", phone=phone or "-")
    if ticket.anonymous and not handler_view:
        return msg("reporter-anonymous")
    acc: Account | None = await uow.accounts.get(ticket.reporter_id)
    name = acc.display_name if acc else "?"
    return msg("reporter-anonymous-handler", name=name) if ticket.anonymous else msg("reporter-named", name=name)


async def card(uow: UnitOfWork, ticket: Ticket, tz: str, *, for_staff: bool) -> Msg:
    return msg(
        "ticket-card",
        number=ticket.number,
        place=await place(uow, ticket),
        category=msg(f"category-{ticket.category}"),
        priority=msg(f"priority-{ticket.priority}"),
        state=msg(f"state-{ticket.state}"),
        description=ticket.description,
        photos=len(ticket.photos),
        reporter=await reporter_label(uow, ticket, handler_view=for_staff),
        created=local_time(ticket.created_at, tz),
        due=local_time(ticket.first_response_due if ticket.acknowledged_at is None else ticket.resolution_due, tz),
        level=ticket.escalation_level,
    )


def staff_buttons(ticket: Ticket) -> list[list[Button]]:
    tid, state = ticket.id, TicketState(ticket.state)
    b = {
        "ack": Button(msg("btn-ack"), f"tk:ack:{tid}"),
        "take": Button(msg("btn-take"), f"tk:take:{tid}"),
        "ask": Button(msg("btn-ask"), f"tk:ask:{tid}"),
        "res": Button(msg("btn-resolve"), f"tk:res:{tid}"),
        "rej": Button(msg("btn-reject"), f"tk:rej:{tid}"),
    }
    layout = {
        S.new: [["ack", "take"], ["ask", "res", "rej"]],
        S.acknowledged: [["take", "ask"], ["res", "rej"]],
        S.in_progress: [["ask", "res", "rej"]],
        S.waiting_resident: [["res", "rej"]],
    }.get(state, [])
    return [[b[k] for k in row] for row in layout]


def confirm_buttons(ticket_id: int | None) -> list[list[Button]]:
    return [[Button(msg("btn-fixed-yes"), f"cf:y:{ticket_id}"),
             Button(msg("btn-fixed-no"), f"cf:n:{ticket_id}")]]


def rating_buttons(ticket_id: int | None) -> list[list[Button]]:
    return [[Button(msg("btn-stars", n=n), f"rt:{ticket_id}:{n}") for n in range(5, 0, -1)]]


async def staff_card(uow: UnitOfWork, ticket: Ticket, tz: str, *, edit: bool = False) -> Reply:
    return Reply(await card(uow, ticket, tz, for_staff=True), buttons=staff_buttons(ticket),
                 edit=edit, ticket_id=ticket.id, card=True)


def button_id(parts: list[str], index: int) -> int:
    """The numeric id at `index` of button data split at ":"; anything else is a
    forged or unknown button."""
    part = parts[index] if 0 <= index < len(parts) else ""
    if not part.isdigit() or len(part) > 11:
        raise DomainError("unknown_button")
    return int(part)
