"""Escalation ladder: 0 property/queue, 1 community, 2 street, 3 district.

A breached SLA target (at level 0), a breached level deadline, a second reopen, a
"dissatisfied" rating or a manual whistle raise the level by one. Each raise is a TicketEvent
"escalated" {from, to, reason, late_minutes} and notifies the people of the new level
(community workers of the compound's community; street officers of its street; admins of its
district), plus that node's staff group if it has one. The new level's own deadline is set by
services/deadlines.py (``refresh``) from the EscalationPolicy rows.
"""
from __future__ import annotations

from datetime import timedelta

from services import notify
from services.access import ESCALATION_KINDS, ESCALATION_ROLES
from services.ticket_core import record
from storage.models import Account, OrgNode, Role, Ticket, TicketEvent
from storage.uow import UnitOfWork

MAX_LEVEL = max(ESCALATION_KINDS)
REASONS = ("first_response_overdue", "resolution_overdue", "on_site_overdue", "level_overdue",
           "reopened", "dissatisfied", "whistle")


async def level_node(uow: UnitOfWork, ticket: Ticket, level: int) -> OrgNode | None:
    """The org node responsible at ``level`` for the ticket's compound."""
    kind = ESCALATION_KINDS.get(level)
    compound = await uow.org.get(ticket.compound_id)
    if kind is None or compound is None:
        return None
    return await uow.org.ancestor_of_kind(compound, kind)


async def level_people(uow: UnitOfWork, ticket: Ticket, level: int) -> list[Account]:
    """Who is told when the ticket reaches ``level``: the level's role holders on its node,
    else that node's admins (so an unstaffed level still reaches someone)."""
    node = await level_node(uow, ticket, level)
    if node is None or node.id is None:
        return []
    role = ESCALATION_ROLES[ESCALATION_KINDS[level]]
    people = list(await uow.accounts.holders([role], [node.id]))
    if not people and role != Role.admin:
        people = list(await uow.accounts.holders([Role.admin], [node.id]))
    return people


async def escalate(uow: UnitOfWork, ticket: Ticket, reason: str, actor: Account | None = None,
                   *, late: timedelta = timedelta(0)) -> TicketEvent | None:
    """Raise the ticket one level; None when it is already at the top (nothing recorded).
    The caller refreshes the deadlines (``deadlines.refresh``/``on_event``) afterwards."""
    if reason not in REASONS:
        raise ValueError(f"unknown escalation reason {reason!r}")
    before = ticket.escalation_level
    if before >= MAX_LEVEL:
        return None
    after = before + 1
    ticket.escalation_level = after
    late_minutes = max(0, int(late.total_seconds() // 60))
    ev = await record(uow, ticket, actor, "escalated",
                      **{"from": before, "to": after, "reason": reason, "late_minutes": late_minutes})
    payload = {"level": after, "from": before, "reason": reason, "late_minutes": late_minutes}
    for person in await level_people(uow, ticket, after):
        if person.id is None or (actor is not None and person.id == actor.id):
            continue
        await notify.to_account(uow, person.id, "escalation", ticket=ticket, key=f"L{after}",
                                payload=payload)
    node = await level_node(uow, ticket, after)
    if node is not None and node.staff_chat_id:
        await notify.to_group_topic(uow, node.staff_chat_id, "escalation", ticket=ticket,
                                    key=f"L{after}", payload=payload)
    return ev
