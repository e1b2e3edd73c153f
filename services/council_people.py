"""Who stands how to a 议事 council and whom its events reach.

A council is held for a compound or a community. Its organiser is the community worker (or a
committee member of the compound) who scheduled it, and any community worker of the same
community may act as organiser too. Invitees: the residents of the compound(s) (when
invited), the property staff and managers of their companies (when invited), and the members
of the invited departments. A resident of the compound(s) may propose agenda items.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.models import (
    Account,
    AggregateEvent,
    Council,
    CouncilDecision,
    OrgKind,
    OrgNode,
    Role,
)
from storage.uow import UnitOfWork

RESPONSIBLE_ROLES = {
    OrgKind.company: (Role.staff, Role.manager),
    OrgKind.community: (Role.community,),
    OrgKind.department: (Role.department,),
    OrgKind.street: (Role.street,),
    OrgKind.compound: (Role.committee,),
}


async def compounds_of(uow: UnitOfWork, org: OrgNode) -> list[OrgNode]:
    if org.kind == OrgKind.compound:
        return [org]
    return [n for n in await uow.org.descendants(org.id or 0) if n.kind == OrgKind.compound]


async def may_organise(uow: UnitOfWork, account: Account, org: OrgNode) -> bool:
    """A community worker of the org's community, or a committee member of the compound."""
    assert account.id is not None
    community = await uow.org.ancestor_of_kind(org, OrgKind.community)
    if community is not None and await uow.accounts.has_grant(account.id, Role.community, community.id or 0):
        return True
    return org.kind == OrgKind.compound and await uow.accounts.has_grant(
        account.id, Role.committee, org.id or 0
    )


async def roles_of(uow: UnitOfWork, actor: Account | None, council: Council) -> frozenset[str]:
    if actor is None or actor.id is None:
        return frozenset({"system"})
    roles: set[str] = set()
    org = await uow.org.get(council.org_id)
    if actor.id == council.organiser_id or (org is not None and await may_organise(uow, actor, org)):
        roles.add("organiser")
    if org is not None:
        compound_ids = {c.id for c in await compounds_of(uow, org)}
        if any(r.compound_id in compound_ids for r in await uow.accounts.residencies(actor.id)):
            roles.add("resident")
        if actor.id in await invitees(uow, council):
            roles.add("invitee")
    return frozenset(roles)


async def invitees(uow: UnitOfWork, council: Council) -> list[int]:
    org = await uow.org.get(council.org_id)
    if org is None:
        return []
    compounds = await compounds_of(uow, org)
    out: list[int] = []
    if council.invite_residents:
        out += await uow.councils.residents_of([c.id for c in compounds if c.id is not None])
    if council.invite_property:
        companies = sorted({c.company_id for c in compounds if c.company_id is not None})
        out += [a.id for a in await uow.accounts.holders([Role.staff, Role.manager], companies) if a.id]
    if council.invite_departments:
        out += [
            a.id for a in await uow.accounts.holders([Role.department], council.invite_departments) if a.id
        ]
    return list(dict.fromkeys(out))


async def responsible_people(uow: UnitOfWork, d: CouncilDecision) -> list[int]:
    if d.responsible_account_id is not None:
        return [d.responsible_account_id]
    org = await uow.org.get(d.responsible_org_id or 0)
    if org is None:
        return []
    roles = RESPONSIBLE_ROLES.get(OrgKind(org.kind), ())
    return [a.id for a in await uow.accounts.holders(roles, [org.id or 0]) if a.id]


async def council_audience(uow: UnitOfWork, council: Council, ev: AggregateEvent, name: str) -> Sequence[int]:
    if name == "invitees":
        return await invitees(uow, council)
    if name == "organiser":
        return [council.organiser_id]
    if name == "proposer":
        who = (ev.data or {}).get("proposer_id")
        return [] if who is None else [int(who)]
    return []
