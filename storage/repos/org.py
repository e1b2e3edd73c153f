"""Queries over the org tree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Building, OrgKind, OrgNode, Unit


class OrgRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def get(self, org_id: int) -> OrgNode | None:
        return await self.s.get(OrgNode, org_id)

    async def by_code(self, code: str) -> OrgNode | None:
        return (await self.s.execute(select(OrgNode).where(OrgNode.code == code))).scalars().first()

    async def by_staff_chat(self, chat_id: str) -> OrgNode | None:
        """The org node whose staff group is ``chat_id``."""
        q = select(OrgNode).where(OrgNode.staff_chat_id == chat_id)
        return (await self.s.execute(q)).scalars().first()

    async def all(self, kind: OrgKind | None = None) -> Sequence[OrgNode]:
        q = select(OrgNode)
        if kind is not None:
            q = q.where(OrgNode.kind == kind)
        return (await self.s.execute(q.order_by(col(OrgNode.id)))).scalars().all()

    async def children(self, org_id: int, kind: OrgKind | None = None) -> Sequence[OrgNode]:
        q = select(OrgNode).where(OrgNode.parent_id == org_id)
        if kind is not None:
            q = q.where(OrgNode.kind == kind)
        return (await self.s.execute(q.order_by(col(OrgNode.id)))).scalars().all()

    async def ancestors(self, org: OrgNode) -> list[OrgNode]:
        """The node's parents, nearest first (not the node itself)."""
        out: list[OrgNode] = []
        cur = org
        while cur.parent_id is not None:
            parent = await self.get(cur.parent_id)
            if parent is None:
                break
            out.append(parent)
            cur = parent
        return out

    async def ancestor_of_kind(self, org: OrgNode, kind: OrgKind) -> OrgNode | None:
        if org.kind == kind:
            return org
        for a in await self.ancestors(org):
            if a.kind == kind:
                return a
        return None

    async def descendants(self, org_id: int) -> list[OrgNode]:
        out: list[OrgNode] = []
        frontier = [org_id]
        while frontier:
            q = select(OrgNode).where(col(OrgNode.parent_id).in_(frontier))
            nodes = list((await self.s.execute(q)).scalars().all())
            out.extend(nodes)
            frontier = [n.id for n in nodes if n.id is not None]
        return out

    async def compounds_of_company(self, company_id: int) -> Sequence[OrgNode]:
        q = select(OrgNode).where(OrgNode.kind == OrgKind.compound, OrgNode.company_id == company_id)
        return (await self.s.execute(q.order_by(col(OrgNode.id)))).scalars().all()

    async def building(self, compound_id: int, code: str) -> Building | None:
        q = select(Building).where(Building.compound_id == compound_id, Building.code == code)
        return (await self.s.execute(q)).scalars().first()

    async def unit(self, compound_id: int, code: str) -> Unit | None:
        q = select(Unit).where(Unit.compound_id == compound_id, Unit.code == code)
        return (await self.s.execute(q)).scalars().first()

    async def units_of(self, compound_id: int) -> Sequence[Unit]:
        """The compound's unit register, by code."""
        q = select(Unit).where(Unit.compound_id == compound_id).order_by(col(Unit.code))
        return (await self.s.execute(q)).scalars().all()

    async def unit_by_id(self, unit_id: int) -> Unit | None:
        return await self.s.get(Unit, unit_id)

    async def buildings_of(self, compound_ids: Iterable[int]) -> Sequence[Building]:
        q = select(Building).where(col(Building.compound_id).in_(list(compound_ids)))
        return (await self.s.execute(q)).scalars().all()

    async def units_in(self, compound_ids: Iterable[int]) -> Sequence[Unit]:
        q = select(Unit).where(col(Unit.compound_id).in_(list(compound_ids)))
        return (await self.s.execute(q)).scalars().all()

    def add(self, obj: OrgNode | Building | Unit) -> None:
        self.s.add(obj)
