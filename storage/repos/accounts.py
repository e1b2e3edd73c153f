"""Accounts, identities, role grants, invites, residencies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Account, ChannelIdentity, Invite, OrgNode, Residency, Role, RoleGrant
from storage.refcache import RefView, frozen_rows


async def _staff_grants(s: AsyncSession) -> list[RoleGrant]:
    """Every role grant but residents', frozen (for the reference cache)."""
    table: Any = RoleGrant.__table__  # type: ignore[attr-defined]
    q = select(table).where(table.c.role != Role.resident).order_by(table.c.id)
    return frozen_rows(RoleGrant, await s.execute(q))


class AccountRepo:
    def __init__(self, session: AsyncSession, ref: RefView | None = None) -> None:
        self.s = session
        self.ref = ref

    async def get(self, account_id: int) -> Account | None:
        return await self.s.get(Account, account_id)

    async def by_identity(self, channel: str, external_id: str) -> Account | None:
        q = (
            select(Account)
            .join(ChannelIdentity, col(ChannelIdentity.account_id) == col(Account.id))
            .where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id)
        )
        return (await self.s.execute(q)).scalars().first()

    async def identities(self, account_id: int) -> Sequence[ChannelIdentity]:
        q = select(ChannelIdentity).where(ChannelIdentity.account_id == account_id)
        return (await self.s.execute(q.order_by(col(ChannelIdentity.id)))).scalars().all()

    async def grants(self, account_id: int) -> Sequence[RoleGrant]:
        q = select(RoleGrant).where(RoleGrant.account_id == account_id)
        return (await self.s.execute(q.order_by(col(RoleGrant.id)))).scalars().all()

    async def holders(self, roles: Iterable[Role], org_ids: Iterable[int]) -> Sequence[Account]:
        """Accounts holding any of `roles` on any of `org_ids`."""
        q = (
            select(Account)
            .join(RoleGrant, col(RoleGrant.account_id) == col(Account.id))
            .where(col(RoleGrant.role).in_(list(roles)), col(RoleGrant.org_id).in_(list(org_ids)))
            .distinct()
            .order_by(col(Account.id))
        )
        return (await self.s.execute(q)).scalars().all()

    async def holder_ids(self, roles: Iterable[Role], org_ids: Iterable[int]) -> list[int]:
        """The ids of the accounts holding any of ``roles`` (not resident) on any of
        ``org_ids``, through the reference cache."""
        roles, orgs = set(roles), set(org_ids)
        assert Role.resident not in roles, "residents' grants are not cached"
        grants = None if self.ref is None else await self.ref.table("staff_grants", _staff_grants)
        if grants is None:
            return [a.id for a in await self.holders(roles, orgs) if a.id is not None]
        return sorted({g.account_id for g in grants if g.role in roles and g.org_id in orgs})

    async def has_grant(self, account_id: int, role: Role, org_id: int) -> bool:
        q = select(RoleGrant.id).where(
            RoleGrant.account_id == account_id, RoleGrant.role == role, RoleGrant.org_id == org_id
        )
        return (await self.s.execute(q)).first() is not None

    async def invite(self, code: str) -> Invite | None:
        q = select(Invite).where(Invite.code == code)
        return (await self.s.execute(q)).scalars().first()

    async def claim_invite(self, invite_id: int, account_id: int, now: datetime) -> bool:
        """Mark an invite used by `account_id`, only if nobody used it yet: one conditional
        UPDATE, so of two redemptions at the same moment exactly one wins (the other's UPDATE
        waits for the row lock on PostgreSQL, then matches no row)."""
        stmt = (
            update(Invite)
            .where(col(Invite.id) == invite_id, col(Invite.used_by).is_(None), col(Invite.used_at).is_(None))
            .values(used_by=account_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        result = await self.s.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def residencies(self, account_id: int) -> Sequence[Residency]:
        q = select(Residency).where(Residency.account_id == account_id)
        return (await self.s.execute(q.order_by(col(Residency.id)))).scalars().all()

    async def residency(self, account_id: int, compound_id: int) -> Residency | None:
        q = select(Residency).where(Residency.account_id == account_id, Residency.compound_id == compound_id)
        return (await self.s.execute(q)).scalars().first()

    async def all_with_grants(self) -> list[tuple[Account, RoleGrant | None, OrgNode | None]]:
        """Every account with each of its grants and the grant's node (None, None: no grant)."""
        q = (
            select(Account, RoleGrant, OrgNode)
            .outerjoin(RoleGrant, col(RoleGrant.account_id) == col(Account.id))
            .outerjoin(OrgNode, col(OrgNode.id) == col(RoleGrant.org_id))
            .order_by(col(Account.id), col(RoleGrant.id))
        )
        return [(a, g, n) for a, g, n in (await self.s.execute(q)).all()]

    def add(self, obj: Account | ChannelIdentity | RoleGrant | Invite | Residency) -> None:
        self.s.add(obj)

    async def flush(self) -> None:
        await self.s.flush()
