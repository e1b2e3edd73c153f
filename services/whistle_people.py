"""Who stands how to a whistle, and whom a whistle event reaches.

Level rule (吹哨报到): a community worker calls the departments of the street above the
community; a street officer calls the district's departments. A miss goes one level above
the caller on the escalation ladder (services/access.py): community → street, street →
district (its admins).
"""

from __future__ import annotations

from collections.abc import Sequence

from services.access import ESCALATION_KINDS, ESCALATION_ROLES
from storage.models import Account, AggregateEvent, OrgKind, OrgNode, Role, Whistle
from storage.uow import UnitOfWork

CALLER_ROLES = {OrgKind.community: Role.community, OrgKind.street: Role.street}
LEVEL_OF = {OrgKind.community: 1, OrgKind.street: 2}


async def caller_org(uow: UnitOfWork, account: Account, compound_id: int) -> OrgNode | None:
    """The community (else the street) above the compound for which ``account`` may whistle."""
    assert account.id is not None
    compound = await uow.org.get(compound_id)
    if compound is None:
        return None
    for kind, role in CALLER_ROLES.items():
        node = await uow.org.ancestor_of_kind(compound, kind)
        if (
            node is not None
            and node.id is not None
            and await uow.accounts.has_grant(account.id, role, node.id)
        ):
            return node
    return None


async def callable_departments(uow: UnitOfWork, caller: OrgNode) -> list[OrgNode]:
    """Community → the street's departments; street → the district's departments."""
    kind = OrgKind.street if caller.kind == OrgKind.community else OrgKind.district
    parent = await uow.org.ancestor_of_kind(caller, kind)
    if parent is None or parent.id is None:
        return []
    return list(await uow.org.children(parent.id, OrgKind.department))


async def above_people(uow: UnitOfWork, whistle: Whistle) -> list[Account]:
    """The escalation level above the caller: its role holders, else that node's admins."""
    caller = await uow.org.get(whistle.caller_org_id)
    if caller is None:
        return []
    kind = ESCALATION_KINDS.get(LEVEL_OF.get(OrgKind(caller.kind), 2) + 1)
    node = None if kind is None else await uow.org.ancestor_of_kind(caller, kind)
    if node is None or node.id is None or kind is None:
        return []
    people = list(await uow.accounts.holders([ESCALATION_ROLES[kind]], [node.id]))
    return people or list(await uow.accounts.holders([Role.admin], [node.id]))


def above_level(caller: OrgNode) -> int:
    return LEVEL_OF.get(OrgKind(caller.kind), 2) + 1


async def department_ids(uow: UnitOfWork, whistle: Whistle) -> list[int]:
    return [c.department_id for c in await uow.whistles.calls(whistle.id or 0)]


async def roles_of(uow: UnitOfWork, actor: Account | None, whistle: Whistle) -> frozenset[str]:
    """caller (the caller or a colleague on the caller's node), department (a member of a
    called department), supervisor (the level above, admins), resident (the ticket's reporter)."""
    if actor is None or actor.id is None:
        return frozenset({"system"})
    roles: set[str] = set()
    grants = await uow.accounts.grants(actor.id)
    caller = await uow.org.get(whistle.caller_org_id)
    if actor.id == whistle.caller_id or (
        caller is not None
        and any(g.org_id == caller.id and g.role == CALLER_ROLES.get(OrgKind(caller.kind)) for g in grants)
    ):
        roles.add("caller")
    called = set(await department_ids(uow, whistle))
    if any(g.role == Role.department and g.org_id in called for g in grants):
        roles.add("department")
    if actor.id in {a.id for a in await above_people(uow, whistle)}:
        roles.add("supervisor")
    if caller is not None and any(g.role == Role.admin for g in grants):
        area = {n.id for n in [caller, *await uow.org.ancestors(caller)]}
        if any(g.role == Role.admin and g.org_id in area for g in grants):
            roles.add("supervisor")
    if whistle.ticket_id is not None:
        ticket = await uow.tickets.get(whistle.ticket_id)
        if ticket is not None and ticket.reporter_id == actor.id:
            roles.add("resident")
    return frozenset(roles)


async def members(uow: UnitOfWork, department_ids: Sequence[int]) -> list[int]:
    people = await uow.accounts.holders([Role.department], list(department_ids))
    return [a.id for a in people if a.id is not None]


async def audience(uow: UnitOfWork, whistle: Whistle, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "departments":
        return await members(uow, await department_ids(uow, whistle))
    if name == "holder":  # the department the event is about
        org = (ev.data or {}).get("holder_org_id")
        return [] if org is None else await members(uow, [int(org)])
    if name == "caller":
        return [whistle.caller_id]
    if name == "above":
        return [a.id for a in await above_people(uow, whistle) if a.id is not None]
    if name == "resident" and whistle.ticket_id is not None:
        ticket = await uow.tickets.get(whistle.ticket_id)
        return [ticket.reporter_id] if ticket is not None and ticket.reporter_id is not None else []
    return []
