"""Digest subscriptions: who gets which digest when (a person's own setting)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import DigestSubscription, RoleGrant
from storage.repos._util import insert_ignore


class DigestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def subscription(self, account_id: int, kind: str) -> DigestSubscription | None:
        q = select(DigestSubscription).where(
            DigestSubscription.account_id == account_id, DigestSubscription.kind == kind
        )
        return (await self.s.execute(q)).scalars().first()

    async def ensure(
        self, account_id: int, kind: str, *, local_time: str, now: datetime
    ) -> DigestSubscription:
        """The person's row for ``kind``, created with the defaults when missing (race-safe)."""
        values = {
            "account_id": account_id,
            "kind": kind,
            "enabled": True,
            "local_time": local_time,
            "updated_at": now,
        }
        await insert_ignore(self.s, DigestSubscription, values)
        row = await self.subscription(account_id, kind)
        assert row is not None
        return row

    async def all(self) -> Sequence[DigestSubscription]:
        return (await self.s.execute(select(DigestSubscription))).scalars().all()

    async def grants_of_roles(self, roles: Sequence[str]) -> Sequence[RoleGrant]:
        q = select(RoleGrant).where(col(RoleGrant.role).in_(list(roles))).order_by(col(RoleGrant.id))
        return (await self.s.execute(q)).scalars().all()
