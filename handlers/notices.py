"""Render outbox rows (notifications) into replies in the reader's language.

Renderers are looked up by notification kind; feature modules add theirs to
RENDERERS. Rendering happens at send time, so a card shows the ticket as it
is then.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handlers.cards import confirm_buttons, staff_card
from handlers.types import Button, Reply, msg
from storage.models import Notification, Ticket, TicketState
from storage.uow import UnitOfWork

Renderer = Callable[[UnitOfWork, Notification, Ticket | None, str], Awaitable[list[Reply]]]
RENDERERS: dict[str, Renderer] = {}


def renderer(*kinds: str) -> Callable[[Renderer], Renderer]:
    def deco(fn: Renderer) -> Renderer:
        for k in kinds:
            RENDERERS[k] = fn
        return fn
    return deco


async def render_notification(uow: UnitOfWork, n: Notification, tz: str) -> list[Reply]:
    """The replies for one outbox row; [] when there is nothing left to say."""
    fn = RENDERERS.get(n.kind)
    if fn is None:
        raise LookupError(f"no renderer for notification kind {n.kind!r}")
    ticket = await uow.tickets.get(n.ticket_id) if n.ticket_id is not None else None
    return await fn(uow, n, ticket, tz)


def _p(n: Notification) -> dict[str, Any]:
    return dict(n.payload or {})


@renderer("ticket_card")
async def _card(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    photos = list(t.photos)
    head = Reply(msg("notice-new-ticket", number=t.number), photos=photos)
    return [head, await staff_card(uow, t, tz)]


@renderer("rating_comment")
async def _comment(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    return [Reply(msg("notice-rating-comment", number=t.number, text=_p(n).get("text", "")), ticket_id=t.id)]


@renderer("relay_to_staff")
async def _to_staff(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    key = "notice-resident-answered" if p.get("answered") else "notice-resident-message"
    return [Reply(msg(key, number=t.number, text=p.get("text", "")), photos=list(p.get("photos", [])),
                  ticket_id=t.id)]


@renderer("relay_to_resident")
async def _to_resident(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    return [Reply(msg("notice-staff-message", number=t.number, text=p.get("text", "")),
                  photos=list(p.get("photos", [])), ticket_id=t.id,
                  buttons=[[Button(msg("btn-reply"), f"ma:{t.id}")]])]


@renderer("question")
async def _question(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    buttons = [[Button(msg("btn-answer"), f"ma:{t.id}")]] if t.state == TicketState.waiting_resident else []
    return [Reply(msg("notice-question", number=t.number, text=_p(n).get("text", "")),
                  buttons=buttons, ticket_id=t.id)]


@renderer("acknowledged", "taken", "rejected", "rerouted")
async def _status(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    params: dict[str, Any] = {"number": t.number, **{k: v for k, v in p.items() if isinstance(v, str)}}
    if n.kind == "rejected":
        params["reason"] = msg(f"reject-reason-{p.get('reason', 'invalid').replace('_', '-')}")
    return [Reply(msg(f"notice-{n.kind}", **params), ticket_id=t.id)]


@renderer("resolved")
async def _resolved(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    note = _p(n).get("note") or ""
    buttons = confirm_buttons(t.id) if t.state == TicketState.resolved else []
    return [Reply(msg("notice-resolved", number=t.number, note=note or msg("no-note")),
                  buttons=buttons, ticket_id=t.id)]


@renderer("reopened", "rated")
async def _for_handlers(uow: UnitOfWork, n: Notification, t: Ticket | None, tz: str) -> list[Reply]:
    assert t is not None
    p = _p(n)
    head = msg(f"notice-{n.kind}", number=t.number, count=p.get("count", 0), stars=p.get("stars", 0),
               level=msg(f"satisfaction-{p.get('level', 'basic')}"), comment=p.get("comment", ""))
    return [Reply(head, ticket_id=t.id), await staff_card(uow, t, tz)]

