"""The escalation ladder: 0 the queue (property company or community), 1 community, 2 street,
3 district.

A breached deadline at level 0, a breached level deadline, the second reopen, a
"dissatisfied" rating or a supervisor's whistle raise the level (``Action.escalate`` in
services/ticket_rules.py, carried out by services/ticket_machine.py). This module says who
stands at each level; services/ticket_effects.py tells them, services/deadlines.py starts the
level's own deadline from the EscalationPolicy rows.
"""

from __future__ import annotations

from services.access import ESCALATION_KINDS, ESCALATION_ROLES
from storage.models import Account, OrgNode, Role, Ticket
from storage.uow import UnitOfWork

MAX_LEVEL = max(ESCALATION_KINDS)
REASONS = (
    "first_response_overdue",
    "resolution_overdue",
    "on_site_overdue",
    "level_overdue",
    "reopened",
    "dissatisfied",
    "whistle",
)


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
