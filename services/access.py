"""Who may act on a ticket, and which queues a person works."""
from __future__ import annotations

from storage.models import Account, OrgKind, Role, Ticket
from storage.uow import UnitOfWork

QUEUE_ROLES = {
    OrgKind.company: (Role.staff, Role.manager),
    OrgKind.community: (Role.community,),
}
ESCALATION_KINDS = {1: OrgKind.community, 2: OrgKind.street, 3: OrgKind.district}
ESCALATION_ROLES = {OrgKind.community: Role.community, OrgKind.street: Role.street, OrgKind.district: Role.admin}


async def handler_org_ids(uow: UnitOfWork, ticket: Ticket) -> dict[int, tuple[Role, ...]]:
    """Org nodes whose role holders may handle the ticket, with the roles."""
    out: dict[int, tuple[Role, ...]] = {}
    queue_org = await uow.org.get(ticket.queue_org_id)
    if queue_org is None:
        return out
    out[ticket.queue_org_id] = QUEUE_ROLES.get(OrgKind(queue_org.kind), ())
    compound = await uow.org.get(ticket.compound_id)
    if compound is not None:
        # escalated tickets may be handled by the layer they reached; admins anywhere above
        for node in [compound, *await uow.org.ancestors(compound)]:
            assert node.id is not None
            roles: tuple[Role, ...] = (Role.admin,)
            for level, kind in ESCALATION_KINDS.items():
                if node.kind == kind and ticket.escalation_level >= level:
                    roles = (ESCALATION_ROLES[kind], Role.admin)
            out[node.id] = tuple(sorted(set(out.get(node.id, ()) + roles)))
    return out


async def can_handle(uow: UnitOfWork, account: Account, ticket: Ticket) -> bool:
    assert account.id is not None
    allowed = await handler_org_ids(uow, ticket)
    for g in await uow.accounts.grants(account.id):
        if Role(g.role) in allowed.get(g.org_id, ()):
            return True
    return False


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


async def queue_holders(uow: UnitOfWork, org_id: int) -> list[Account]:
    org = await uow.org.get(org_id)
    if org is None:
        return []
    roles = QUEUE_ROLES.get(OrgKind(org.kind), ())
    return list(await uow.accounts.holders(roles, [org_id]))
