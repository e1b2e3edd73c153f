"""Side effects of a recorded ticket event, derived from ``ticket_policy.POLICY``.

``follow`` runs right after ``ticket_machine.record`` wrote the event, in the same
transaction: it writes the notifications (outbox rows keyed by the event id, so writing them
again is a no-op) and returns the actions the escalation rules call for, which the machine
then applies as the system. ``refresh_deadlines`` recomputes the due times from the events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services import deadlines, notify
from services.escalation import level_node, level_people
from services.ticket_policy import Audience, Tell, Trigger, policy_of
from services.ticket_rules import Action
from storage.models import Ticket, TicketEvent
from storage.uow import UnitOfWork

FollowUp = tuple[Action, dict[str, Any]]


async def follow(uow: UnitOfWork, ticket: Ticket, ev: TicketEvent) -> list[FollowUp]:
    policy = policy_of(ev.kind)
    for tell in policy.tell:
        await _tell(uow, ticket, ev, tell)
    return _triggered(uow, ticket, ev, policy.trigger)


async def refresh_deadlines(uow: UnitOfWork, ticket: Ticket, events: list[TicketEvent] | None = None) -> None:
    """``events``: all of the ticket's events, when it is not inserted yet (its first one)."""
    await deadlines.refresh(uow, ticket, events)


def _triggered(uow: UnitOfWork, ticket: Ticket, ev: TicketEvent, trigger: Trigger | None) -> list[FollowUp]:
    data = ev.data or {}
    if trigger == Trigger.second_reopen and ticket.reopen_count >= uow.config.escalate_after_reopens:
        return [(Action.escalate, {"reason": "reopened"})]
    if trigger == Trigger.dissatisfied and data.get("level") == "dissatisfied":
        return [(Action.escalate, {"reason": "dissatisfied"})]
    if trigger == Trigger.level_zero_breach and ticket.escalation_level == 0 and data.get("due"):
        late = ev.at - datetime.fromisoformat(str(data["due"]))
        return [
            (
                Action.escalate,
                {
                    "reason": f"{data.get('target')}_overdue",
                    "late_minutes": max(0, int(late.total_seconds() // 60)),
                },
            )
        ]
    return []


async def _tell(uow: UnitOfWork, ticket: Ticket, ev: TicketEvent, tell: Tell) -> int:
    key, payload = str(ev.id), dict(ev.data or {})
    if tell.audience == Audience.reporter:
        if ticket.reporter_id is None or ticket.reporter_id == ev.actor_id:
            return 0
        return await notify.to_account(
            uow, ticket.reporter_id, tell.kind, ticket=ticket, key=key, payload=payload
        )
    if tell.audience == Audience.queue:
        return await notify.to_queue(uow, ticket, tell.kind, key=key, payload=payload)
    if tell.audience == Audience.handlers:
        return await notify.to_handlers(uow, ticket, tell.kind, key=key, payload=payload, exclude=ev.actor_id)
    return await _tell_level(uow, ticket, ev, tell.kind, payload)


async def _tell_level(
    uow: UnitOfWork, ticket: Ticket, ev: TicketEvent, kind: str, payload: dict[str, Any]
) -> int:
    """The people of the level just reached (else that node's admins), and its staff group."""
    level, n = ticket.escalation_level, 0
    for person in await level_people(uow, ticket, level):
        if person.id is not None and person.id != ev.actor_id:
            n += await notify.to_account(uow, person.id, kind, ticket=ticket, key=str(ev.id), payload=payload)
    node = await level_node(uow, ticket, level)
    if node is not None and node.staff_chat_id:
        n += await notify.to_group_topic(
            uow, node.staff_chat_id, kind, ticket=ticket, key=str(ev.id), payload=payload
        )
    return n
