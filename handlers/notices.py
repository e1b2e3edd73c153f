"""Renderers of the ticket notifications the policy table (services/ticket_policy.py)
writes: new cards, relays, status changes for the reporter, news for the handlers."""

from __future__ import annotations

from typing import Any

from handlers.buttons import AddInfoButton
from handlers.cards import card_photos, confirm_buttons, place, pointer, reader_card
from handlers.rendering import Renderers
from handlers.types import Button, Reply, msg
from storage.models import Notification, Ticket, TicketState
from storage.uow import UnitOfWork

renderers = Renderers()


def _p(n: Notification) -> dict[str, Any]:
    return dict(n.payload or {})


@renderers.on("ticket_card")
async def _card(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    return [*card_photos(t), await reader_card(uow, t, tz, n)]


@renderers.line("ticket_card")
async def _card_line(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> Reply | None:
    if t is None:
        return None
    head = msg(
        "notice-new-ticket-line",
        number=t.number,
        category=msg(f"category-{t.category}"),
        place=await place(uow, t, with_unit=False),
    )
    return pointer(head, t)


@renderers.on("rating_comment")
async def _comment(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    return [Reply(msg("notice-rating-comment", number=t.number, text=_p(n).get("text", "")), ticket_id=t.id)]


@renderers.on("relay_to_staff")
async def _to_staff(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    key = "notice-resident-answered" if p.get("answered") else "notice-resident-message"
    return [
        Reply(
            msg(key, number=t.number, text=p.get("text", "")),
            photos=list(p.get("photos", [])),
            ticket_id=t.id,
        )
    ]


@renderers.on("relay_to_resident")
async def _to_resident(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    return [
        Reply(
            msg("notice-staff-message", number=t.number, text=p.get("text", "")),
            photos=list(p.get("photos", [])),
            ticket_id=t.id,
            buttons=[[Button(msg("btn-reply"), AddInfoButton(t.id or 0))]],
        )
    ]


@renderers.on("question")
async def _question(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    buttons = (
        [[Button(msg("btn-answer"), AddInfoButton(t.id or 0))]]
        if t.state == TicketState.waiting_resident
        else []
    )
    return [
        Reply(
            msg("notice-question", number=t.number, text=_p(n).get("text", "")),
            buttons=buttons,
            ticket_id=t.id,
        )
    ]


@renderers.on("acknowledged", "taken", "rejected", "rerouted")
async def _status(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    params: dict[str, Any] = {"number": t.number, **{k: v for k, v in p.items() if isinstance(v, str)}}
    if n.kind == "taken":
        params["staff"] = str(p.get("name") or p.get("staff") or "")
    if n.kind == "rerouted":  # the community handles it now: say why
        note = str(p.get("note") or "")
        company = str(p.get("from_name") or p.get("from") or "")
        params["why"] = (
            msg("rerouted-why", company=company, note=note or msg("no-note"))
            if company
            else msg("plain", text="")
        )
        params.setdefault("community", "?")
    if n.kind == "rejected":
        params["reason"] = msg(f"reject-reason-{p.get('reason', 'invalid').replace('_', '-')}")
        params["other"] = str(p.get("duplicate_of") or p.get("other") or "")
    return [Reply(msg(f"notice-{n.kind}", **params), ticket_id=t.id)]


@renderers.on("resolved")
async def _resolved(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    note = _p(n).get("note") or ""
    buttons = confirm_buttons(t.id) if t.state == TicketState.resolved else []
    return [
        Reply(
            msg("notice-resolved", number=t.number, note=note or msg("no-note")),
            buttons=buttons,
            ticket_id=t.id,
        )
    ]


@renderers.on("reopened", "rated")
async def _for_handlers(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    head = msg(
        f"notice-{n.kind}",
        number=t.number,
        count=p.get("count", 0),
        stars=p.get("stars", 0),
        level=msg(f"satisfaction-{p.get('level', 'basic')}"),
        comment=p.get("comment", ""),
    )
    return [Reply(head, ticket_id=t.id), await reader_card(uow, t, tz, n)]
