"""Accounts, invites, joining a compound, roles and language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from services import refusals
from services.errors import DomainError, NotAllowed
from storage.models import (
    Account,
    ChannelIdentity,
    Invite,
    OrgKind,
    OrgNode,
    Residency,
    Role,
    RoleGrant,
)
from storage.uow import UnitOfWork

# which org kinds a role may be granted on
ROLE_SCOPES: dict[Role, tuple[OrgKind, ...]] = {
    Role.resident: (OrgKind.compound,),
    Role.staff: (OrgKind.company,),
    Role.manager: (OrgKind.company,),
    Role.community: (OrgKind.community,),
    Role.street: (OrgKind.street,),
    Role.department: (OrgKind.department,),
    Role.committee: (OrgKind.compound,),
    Role.admin: (OrgKind.district, OrgKind.street, OrgKind.community),
}


@dataclass(frozen=True)
class Identity:
    channel: str
    external_id: str
    chat_id: str
    display_name: str
    language: str | None = None


async def ensure_account(uow: UnitOfWork, who: Identity, known: Account | None = None) -> Account:
    """The account behind a channel identity, created on first contact. ``known``: the
    account already loaded for this identity (the dispatcher reads it with the
    conversation state), so it is not read again."""
    acc = known or await uow.accounts.by_identity(who.channel, who.external_id)
    if acc is not None:
        if acc.client_language is None and who.language:
            acc.client_language = who.language[:16]  # accounts from before the column
        return acc
    acc = Account(
        display_name=who.display_name[:200] or who.external_id,
        created_at=uow.clock.now(),
        client_language=who.language[:16] if who.language else None,
    )
    uow.accounts.add(acc)
    await uow.flush()
    assert acc.id is not None
    uow.accounts.add(
        ChannelIdentity(
            account_id=acc.id, channel=who.channel, external_id=who.external_id, chat_id=who.chat_id
        )
    )
    await uow.flush()
    return acc


async def grant(uow: UnitOfWork, account: Account, role: Role, org: OrgNode) -> bool:
    """Give a role on an org node; False when it was already held."""
    if org.kind not in ROLE_SCOPES[role]:
        raise DomainError("role_scope", role=role.value, org=org.name)
    assert account.id is not None and org.id is not None
    if await uow.accounts.has_grant(account.id, role, org.id):
        return False
    uow.accounts.add(RoleGrant(account_id=account.id, role=role, org_id=org.id))
    await uow.flush()
    return True


async def create_invite(uow: UnitOfWork, *, role: Role, org_code: str, days: int) -> Invite:
    org = await uow.org.by_code(org_code)
    if org is None:
        raise DomainError("org_not_found", org_code=org_code)
    if org.kind not in ROLE_SCOPES[role]:
        raise DomainError("role_scope", role=role.value, org=org.name)
    assert org.id is not None
    now = uow.clock.now()
    inv = Invite(
        code=secrets.token_urlsafe(12),
        role=role,
        org_id=org.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    uow.accounts.add(inv)
    await uow.flush()
    return inv


async def redeem_invite(uow: UnitOfWork, account: Account, code: str) -> tuple[Role, OrgNode]:
    assert account.id is not None
    await refusals.check_invite_attempts(uow, account.id, uow.clock.now())
    inv = await uow.accounts.invite(code)
    if inv is None:
        raise DomainError("invite_invalid")
    if inv.used_at is not None:
        raise DomainError("invite_used")
    now = uow.clock.now()
    if inv.expires_at <= now:
        raise DomainError("invite_expired")
    org = await uow.org.get(inv.org_id)
    assert org is not None and account.id is not None and inv.id is not None
    if not await uow.accounts.claim_invite(inv.id, account.id, now):
        raise DomainError("invite_used")  # someone redeemed it at the same moment
    inv.used_by, inv.used_at = account.id, now
    await grant(uow, account, Role(inv.role), org)
    return Role(inv.role), org


async def join_compound(uow: UnitOfWork, account: Account, compound_code: str) -> OrgNode:
    compound = await uow.org.by_code(compound_code)
    if compound is None or compound.kind != OrgKind.compound:
        raise DomainError("compound_not_found")
    assert account.id is not None and compound.id is not None
    if await uow.accounts.residency(account.id, compound.id) is None:
        uow.accounts.add(
            Residency(account_id=account.id, compound_id=compound.id, created_at=uow.clock.now())
        )
    await grant(uow, account, Role.resident, compound)
    return compound


async def set_unit(uow: UnitOfWork, account: Account, compound_id: int, unit_code: str) -> str:
    """Name the resident's unit; staff confirm it later. Returns the unit code."""
    assert account.id is not None
    res = await uow.accounts.residency(account.id, compound_id)
    if res is None:
        raise NotAllowed()
    unit = await uow.org.unit(compound_id, unit_code.strip())
    if unit is None:
        raise DomainError("unit_not_found", unit=unit_code.strip()[:32])
    res.unit_id, res.unit_confirmed = unit.id, False
    await uow.flush()
    return unit.code


async def compounds_of(uow: UnitOfWork, account: Account) -> list[OrgNode]:
    assert account.id is not None
    out = []
    for r in await uow.accounts.residencies(account.id):
        node = await uow.org.get(r.compound_id)
        if node is not None:
            out.append(node)
    return out


async def set_locale(uow: UnitOfWork, account: Account, locale: str) -> None:
    account.locale = locale
    await uow.flush()


async def roles_of(uow: UnitOfWork, account: Account) -> list[tuple[Role, OrgNode]]:
    assert account.id is not None
    out = []
    for g in await uow.accounts.grants(account.id):
        node = await uow.org.get(g.org_id)
        if node is not None:
            out.append((Role(g.role), node))
    return out
