"""Who someone is on a compound for owners' business: its committee (业委会/物管会, a grant
on the compound), its community, street or district workers and admins (grants on the
compound's ancestors), and its owners: residents whose unit binding was confirmed, on a unit
the developer does not hold. An owner votes for all units of the same ``owner`` value."""

from __future__ import annotations

from services.errors import DomainError, NotAllowed
from storage.models import Account, OrgKind, OrgNode, Role, Unit
from storage.uow import UnitOfWork

OWNER = "owner"
COMMITTEE = "committee"
COMMUNITY = "community"
STREET = "street"
ADMIN = "admin"


async def compound(uow: UnitOfWork, compound_id: int) -> OrgNode:
    node = await uow.org.get(compound_id)
    if node is None or node.kind != OrgKind.compound:
        raise DomainError("compound_not_found")
    return node


async def compound_by_code(uow: UnitOfWork, code: str) -> OrgNode:
    node = await uow.org.by_code(code.strip())
    if node is None or node.kind != OrgKind.compound or node.id is None:
        raise DomainError("compound_not_found")
    return node


async def district_of(uow: UnitOfWork, node: OrgNode) -> OrgNode:
    district = await uow.org.ancestor_of_kind(node, OrgKind.district)
    if district is None or district.id is None:
        raise DomainError("compound_not_found")
    return district


async def owner_units(uow: UnitOfWork, account_id: int, compound_id: int) -> list[Unit]:
    """The units this person votes for: their confirmed unit and the owner's other units."""
    res = await uow.accounts.residency(account_id, compound_id)
    if res is None or res.unit_id is None or not res.unit_confirmed:
        return []
    unit = await uow.org.unit_by_id(res.unit_id)
    if unit is None or unit.developer:
        return []
    if unit.owner_name:
        return list(await uow.owners.units_of_owner(compound_id, unit.owner_name))
    return [unit]


async def roles_on(uow: UnitOfWork, actor: Account, compound_id: int) -> frozenset[str]:
    assert actor.id is not None
    node = await compound(uow, compound_id)
    roles: set[str] = set()
    if await uow.accounts.has_grant(actor.id, Role.committee, compound_id):
        roles.add(COMMITTEE)
    above = {a.id: a.kind for a in await uow.org.ancestors(node)}
    for g in await uow.accounts.grants(actor.id):
        kind = above.get(g.org_id)
        if kind is None:
            continue
        if g.role == Role.community and kind == OrgKind.community:
            roles.add(COMMUNITY)
        elif g.role == Role.street and kind == OrgKind.street:
            roles.add(STREET)
        elif g.role == Role.admin:
            roles.add(ADMIN)
    if await owner_units(uow, actor.id, compound_id):
        roles.add(OWNER)
    return frozenset(roles)


async def owner_accounts(uow: UnitOfWork, compound_id: int) -> list[int]:
    return list(dict.fromkeys(r.account_id for r, _ in await uow.owners.owner_residencies(compound_id)))


async def organisers(uow: UnitOfWork, compound_id: int, *, above: bool = False) -> list[int]:
    """The committee and the community workers of the compound (and its street and district
    admins when ``above``)."""
    node = await compound(uow, compound_id)
    ids = [a.id for a in await uow.accounts.holders([Role.committee], [compound_id])]
    parents = await uow.org.ancestors(node)
    wanted = {OrgKind.community: Role.community}
    if above:
        wanted |= {OrgKind.street: Role.street, OrgKind.district: Role.admin}
    for p in parents:
        if p.kind in wanted and p.id is not None:
            ids += [a.id for a in await uow.accounts.holders([wanted[p.kind]], [p.id])]
    return list(dict.fromkeys(i for i in ids if i is not None))


async def confirm_owner(uow: UnitOfWork, actor: Account, residency_id: int) -> Unit:
    """The committee or the community confirms a resident's unit binding (as its owner)."""
    res = await uow.owners.residency_by_id(residency_id)
    if res is None or res.unit_id is None:
        raise DomainError("owner_binding_not_found")
    if not {COMMITTEE, COMMUNITY} & await roles_on(uow, actor, res.compound_id):
        raise NotAllowed()
    unit = await uow.org.unit_by_id(res.unit_id)
    assert unit is not None
    res.unit_confirmed = True
    await uow.flush()
    return unit


async def compounds_of(uow: UnitOfWork, actor: Account) -> list[int]:
    """The compounds where this person lives or works (grants on them or above them)."""
    assert actor.id is not None
    ids = {r.compound_id for r in await uow.accounts.residencies(actor.id)}
    for g in await uow.accounts.grants(actor.id):
        node = await uow.org.get(g.org_id)
        if node is None or node.id is None:
            continue
        if node.kind == OrgKind.compound:
            ids.add(node.id)
        elif node.kind == OrgKind.company:
            ids |= {c.id for c in await uow.org.compounds_of_company(node.id) if c.id is not None}
        else:
            ids |= {
                d.id
                for d in await uow.org.descendants(node.id)
                if d.id is not None and d.kind == OrgKind.compound
            }
    return sorted(ids)
