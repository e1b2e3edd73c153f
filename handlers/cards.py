"""Ticket texts and buttons shared by the flows and the notification renderer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.buttons import CardOp, ConfirmButton, Fixed, RateButton, TicketButton, WhistleButton, WhOp
from handlers.types import Button, Reply, msg
from locales import Long, Msg
from services import text
from services.access import sees_personal_data
from services.export import mask_phone
from services.geo import distance_m
from services.ticket_rules import Action, TicketRole, allowed_actions
from storage.models import OPEN_STATES, Account, Notification, Queue, Ticket, TicketState
from storage.uow import UnitOfWork


def local_time(dt: datetime | None, tz: str) -> str:
    if dt is None:
        return "-"
    return dt.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


async def place(uow: UnitOfWork, ticket: Ticket, *, with_unit: bool = True) -> str:
    compound = await uow.org.get(ticket.compound_id)
    name = compound.name if compound else "?"
    if with_unit and ticket.unit_id is not None:
        unit = await uow.org.unit_by_id(ticket.unit_id)
        if unit is not None:
            return f"{name} {unit.code}"
    return name


async def reporter_label(uow: UnitOfWork, ticket: Ticket, *, handler_view: bool) -> Msg:
    """Anonymous reporters and full caller phones are shown only to the handling company's
    staff (PIPL; services.access.sees_personal_data)."""
    if ticket.reporter_id is None:
        phone = ticket.caller_phone if handler_view else mask_phone(ticket.caller_phone)
        return msg("reporter-hotline", phone=phone or "-")
    if ticket.anonymous and not handler_view:
        return msg("reporter-anonymous")
    acc: Account | None = await uow.accounts.get(ticket.reporter_id)
    name = acc.display_name if acc else "?"
    return (
        msg("reporter-anonymous-handler", name=name) if ticket.anonymous else msg("reporter-named", name=name)
    )


async def card(
    uow: UnitOfWork,
    ticket: Ticket,
    tz: str,
    *,
    personal: bool,
    unit: bool | None = None,
    resident: bool = False,
) -> Msg:
    """The ticket's text. `personal`: the reader is the handling company's staff (anonymous
    reporter's name, full caller phone, unit); `unit` defaults to `personal` (the reporter
    sees their own unit). Handlers see what was collected (location, both deadlines, the
    escalation, who bounced it); the `resident` view shows no internals."""
    common = {
        "number": ticket.number,
        "place": await place(uow, ticket, with_unit=personal if unit is None else unit),
        "category": msg(f"category-{ticket.category}"),
        "priority": msg(f"priority-{ticket.priority}"),
        "state": msg(f"state-{ticket.state}"),
        "description": Long(text.clean(ticket.description)),
        "photos": len(ticket.photos),
        "reporter": await reporter_label(uow, ticket, handler_view=personal),
        "created": local_time(ticket.created_at, tz),
    }
    if resident:
        due = ticket.first_response_due if ticket.acknowledged_at is None else ticket.resolution_due
        return msg("ticket-card-resident", **common, due=local_time(due, tz))
    return msg("ticket-card", **common, details=await card_details(uow, ticket, tz))


async def card_details(uow: UnitOfWork, ticket: Ticket, tz: str) -> list[Msg]:
    """The staff card's last lines: deadlines, location, escalation, a company's bounce."""
    second = "card-on-site" if ticket.priority == "emergency" else "card-resolution"
    lines = [
        msg(
            "card-deadlines",
            first=local_time(ticket.first_response_due, tz),
            met=msg("card-met" if ticket.acknowledged_at is not None else "plain", text=""),
            second=msg(second, due=local_time(ticket.resolution_due, tz)),
        )
    ]
    if is_overdue(ticket, uow.clock.now()):
        lines.append(msg("card-overdue"))
    lines.append(await location_line(uow, ticket))
    if ticket.escalation_level >= 1:
        lines.append(msg("card-level", level=msg(f"deadline-level-{min(ticket.escalation_level, 3)}")))
    if ticket.queue == Queue.community and ticket.id is not None:
        bounce = next(
            (e for e in reversed(await uow.tickets.events(ticket.id)) if e.kind == "rerouted"), None
        )
        if bounce is not None:
            who = await uow.accounts.get(bounce.actor_id) if bounce.actor_id else None
            lines.append(
                msg(
                    "card-bounced",
                    company=str(bounce.data.get("from_name") or bounce.data.get("from") or "?"),
                    name=who.display_name if who else "-",
                    note=str(bounce.data.get("note") or "") or msg("no-note"),
                )
            )
    return lines


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """An open ticket past its first response (not yet answered) or its resolution deadline."""
    if TicketState(ticket.state) not in OPEN_STATES:
        return False
    late_first = ticket.acknowledged_at is None and ticket.first_response_due is not None
    if late_first and ticket.first_response_due is not None and ticket.first_response_due < now:
        return True
    return ticket.resolution_due is not None and ticket.resolution_due < now


async def location_line(uow: UnitOfWork, ticket: Ticket) -> Msg:
    if ticket.latitude is None or ticket.longitude is None:
        return msg("card-no-location")
    lat, lon = ticket.latitude, ticket.longitude
    url = uow.config.map_url.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    coords = f"{lat:.5f}, {lon:.5f}"
    compound = await uow.org.get(ticket.compound_id)
    if compound is None or compound.latitude is None or compound.longitude is None:
        return msg("card-location", coords=coords, url=url)
    metres = distance_m(lat, lon, compound.latitude, compound.longitude)
    return msg("card-location-near", coords=coords, url=url, metres=metres)


def pointer(head: Msg, t: Ticket) -> Reply:
    """One line about a ticket, with a button that opens its card."""
    assert t.id is not None
    return Reply(
        head,
        buttons=[[Button(msg("btn-open-ticket", number=t.number), TicketButton(CardOp.view, t.id))]],
        ticket_id=t.id,
    )


def card_role(ticket: Ticket, level_role: TicketRole | None = None) -> TicketRole:
    """The role a card's buttons are offered for: the queue's, or the escalation layer's."""
    if level_role is not None:
        return level_role
    return TicketRole.community if ticket.queue == Queue.community else TicketRole.staff


# button rows of a staff card, and which actions each button stands for
CARD_LAYOUT: tuple[tuple[tuple[CardOp, tuple[Action, ...]], ...], ...] = (
    ((CardOp.ack, (Action.acknowledge,)), (CardOp.take, (Action.take,))),
    (
        (CardOp.ask, (Action.ask,)),
        (CardOp.res, (Action.resolve,)),
        (CardOp.rej, (Action.reject, Action.reroute)),
    ),
)
CARD_LABELS = {
    CardOp.ack: "btn-ack",
    CardOp.take: "btn-take",
    CardOp.ask: "btn-ask",
    CardOp.res: "btn-resolve",
    CardOp.rej: "btn-reject",
}


def staff_buttons(ticket: Ticket, role: TicketRole | None = None) -> list[list[Button]]:
    """The card's buttons: what ``ticket_rules.allowed_actions`` offers the card's role now."""
    allowed = set(allowed_actions(TicketState(ticket.state), card_role(ticket, role)))
    if ticket.assignee_id is not None:
        allowed.discard(Action.take)  # taken: a colleague's Take would be refused
    rows = []
    for row in CARD_LAYOUT:
        buttons = [
            Button(msg(CARD_LABELS[op]), TicketButton(op, _tid(ticket)))
            for op, actions in row
            if allowed & set(actions)
        ]
        if buttons:
            rows.append(buttons)
    if card_role(ticket, role) in (TicketRole.community, TicketRole.street) and ticket.state in OPEN_STATES:
        rows.append([Button(msg("btn-whistle"), WhistleButton(WhOp.new_t, _tid(ticket)))])  # 吹哨报到
    return rows


def _tid(ticket: Ticket) -> int:
    assert ticket.id is not None
    return ticket.id


def confirm_buttons(ticket_id: int | None) -> list[list[Button]]:
    assert ticket_id is not None
    return [
        [
            Button(msg("btn-fixed-yes"), ConfirmButton(Fixed.yes, ticket_id)),
            Button(msg("btn-fixed-no"), ConfirmButton(Fixed.no, ticket_id)),
        ]
    ]


def rating_buttons(ticket_id: int | None) -> list[list[Button]]:
    assert ticket_id is not None
    return [[Button(msg("btn-stars", n=n), RateButton(ticket_id, n)) for n in range(5, 0, -1)]]


def card_photos(ticket: Ticket) -> list[Reply]:
    """The ticket's photos, in order, captioned with its number (the caption rides on the
    album, so no photo arrives unexplained): sent right before its card."""
    if not ticket.photos:
        return []
    return [
        Reply(
            msg("ticket-photos", number=ticket.number, n=len(ticket.photos)),
            photos=list(ticket.photos),
            ticket_id=ticket.id,
        )
    ]


async def staff_card(
    uow: UnitOfWork,
    ticket: Ticket,
    tz: str,
    *,
    personal: bool,
    edit: bool = False,
    role: TicketRole | None = None,
) -> Reply:
    """A handler's card with its buttons; `personal` as for `card` (decide it per reader with
    services.access.sees_personal_data)."""
    return Reply(
        await card(uow, ticket, tz, personal=personal),
        buttons=staff_buttons(ticket, role),
        edit=edit,
        ticket_id=ticket.id,
        card=True,
    )


async def reader_card(uow: UnitOfWork, ticket: Ticket, tz: str, n: Notification) -> Reply:
    """The staff card for the reader of an outbox row (a person or a staff group)."""
    personal = await sees_personal_data(uow, ticket, account_id=n.account_id, chat_id=n.chat_id)
    return await staff_card(uow, ticket, tz, personal=personal)


async def moved_card(uow: UnitOfWork, ticket: Ticket, tz: str) -> Reply:
    """A card copy held by someone who no longer handles the ticket: where it went, no buttons."""
    queue = await uow.org.get(ticket.queue_org_id)
    return Reply(
        msg(
            "ticket-card-moved",
            card=await card(uow, ticket, tz, personal=False),
            to=queue.name if queue else "?",
        ),
        ticket_id=ticket.id,
        card=True,
    )
