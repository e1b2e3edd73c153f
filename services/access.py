"""Who stands how to a ticket, and which queues a person works.

``ticket_roles`` answers "as what may this person act on this ticket": the reporter; staff or
manager of the company queue the ticket is in; the community worker of its community; the
street officer of its street; an admin above it. ``handles_now`` narrows the supervisors to
the layer the ticket has reached: the queue always handles; the community from escalation
level 1 (or when the ticket is in its queue), the street from level 2, admins at any level.
"""

from __future__ import annotations

from services.errors import NotAllowed, NotFound
from services.ticket_rules import TicketRole
from storage.models import Account, OrgKind, OrgNode, Role, Ticket
from storage.uow import UnitOfWork

QUEUE_ROLES = {
    OrgKind.company: (Role.staff, Role.manager),
    OrgKind.community: (Role.community,),
}
ESCALATION_KINDS = {1: OrgKind.community, 2: OrgKind.street, 3: OrgKind.district}
ESCALATION_ROLES = {
    OrgKind.community: Role.community,
    OrgKind.street: Role.street,
    OrgKind.district: Role.admin,
}
_AREA_ROLES = {
    Role.community: TicketRole.community,
    Role.street: TicketRole.street,
    Role.admin: TicketRole.admin,
}
_AREA_LEVEL = {TicketRole.community: 1, TicketRole.street: 2, TicketRole.admin: 0}


async def _area(uow: UnitOfWork, ticket: Ticket) -> list[OrgNode]:
    compound = await uow.org.get(ticket.compound_id)
    return [] if compound is None else [compound, *await uow.org.ancestors(compound)]


async def ticket_roles(uow: UnitOfWork, account: Account | None, ticket: Ticket) -> frozenset[TicketRole]:
    """Every role ``account`` holds towards ``ticket`` (None: the system)."""
    if account is None:
        return frozenset({TicketRole.system})
    assert account.id is not None
    roles: set[TicketRole] = set()
    if ticket.reporter_id is not None and ticket.reporter_id == account.id:
        roles.add(TicketRole.reporter)
    grants = await uow.accounts.grants(account.id)
    if not grants:
        return frozenset(roles)
    area = {n.id: n for n in await _area(uow, ticket)}
    for g in grants:
        role = Role(g.role)
        if g.org_id == ticket.queue_org_id and role in (Role.staff, Role.manager):
            roles.add(TicketRole(role.value))
        elif g.org_id in area and role in _AREA_ROLES:
            node = area[g.org_id]
            if role == Role.admin or ESCALATION_ROLES.get(OrgKind(node.kind)) == role:
                roles.add(_AREA_ROLES[role])
    return frozenset(roles)


def handles_now(roles: frozenset[TicketRole], ticket: Ticket, queue_kind: OrgKind | None) -> bool:
    """True when one of ``roles`` is handling the ticket at its current level."""
    if roles & {TicketRole.staff, TicketRole.manager}:
        return True  # only given for the ticket's own (company) queue
    if TicketRole.community in roles and queue_kind == OrgKind.community:
        return True
    return any(r in roles and ticket.escalation_level >= lvl for r, lvl in _AREA_LEVEL.items())


async def queue_kind(uow: UnitOfWork, ticket: Ticket) -> OrgKind | None:
    org = await uow.org.get(ticket.queue_org_id)
    return OrgKind(org.kind) if org is not None else None


async def can_handle(uow: UnitOfWork, account: Account, ticket: Ticket) -> bool:
    roles = await ticket_roles(uow, account, ticket)
    return handles_now(roles, ticket, await queue_kind(uow, ticket))


async def is_manager(uow: UnitOfWork, account: Account, ticket: Ticket) -> bool:
    assert account.id is not None
    return await uow.accounts.has_grant(account.id, Role.manager, ticket.queue_org_id)


async def queue_org_ids(uow: UnitOfWork, account: Account) -> list[int]:
    """The queues (company or community nodes) this person works."""
    assert account.id is not None
    ids = []
    for g in await uow.accounts.grants(account.id):
        if Role(g.role) in (Role.staff, Role.manager, Role.community):
            ids.append(g.org_id)
    return sorted(set(ids))


async def queue_holder_ids(uow: UnitOfWork, org_id: int) -> list[int]:
    """The ids of the people working the queue of ``org_id`` (read through the cache)."""
    org = await uow.org.get(org_id)
    if org is None:
        return []
    return await uow.accounts.holder_ids(QUEUE_ROLES.get(OrgKind(org.kind), ()), [org_id])


async def handling_org_id(uow: UnitOfWork, ticket: Ticket) -> int | None:
    """The party that handles the ticket's personal data (PIPL, domain-rules.md): the property
    company serving the compound; for a compound without one (老旧小区), the community whose
    queue the ticket is in. Escalation or a re-route does not make anyone else one."""
    compound = await uow.org.get(ticket.compound_id)
    if compound is None:
        return None
    if compound.company_id is not None:
        return compound.company_id
    return ticket.queue_org_id if await queue_kind(uow, ticket) == OrgKind.community else None


async def sees_personal_data(
    uow: UnitOfWork, ticket: Ticket, *, account_id: int | None = None, chat_id: str | None = None
) -> bool:
    """Whether a reader (a person, or a staff group chat) may see the anonymous reporter's name,
    the hotline caller's full phone and the unit: only the handling company's staff (their
    private chats and their staff group)."""
    org_id = await handling_org_id(uow, ticket)
    if org_id is None:
        return False
    if account_id is not None:
        for g in await uow.accounts.grants(account_id):
            if g.org_id == org_id and Role(g.role) in (Role.staff, Role.manager, Role.community):
                return True
        return False
    if chat_id is not None:
        org = await uow.org.by_staff_chat(chat_id)
        return org is not None and org.id == org_id
    return False


async def reporter_ticket(uow: UnitOfWork, account: Account, ticket_id: int) -> Ticket:
    """A ticket its reporter looks at; anyone else is refused."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound("ticket")
    if ticket.reporter_id is None or ticket.reporter_id != account.id:
        raise NotAllowed(number=ticket.number)
    return ticket


async def handled_ticket(uow: UnitOfWork, account: Account, ticket_id: int) -> Ticket:
    """A ticket a worker handling it looks at; anyone else is refused."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound("ticket")
    if not await can_handle(uow, account, ticket):
        raise NotAllowed(number=ticket.number)
    return ticket
