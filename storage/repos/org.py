"""Queries over the org tree.

The node lookups (get, by_code, by_staff_chat, children, ancestors, descendants,
compounds_of_company) read through the process's reference cache (storage/refcache.py) and
hand out frozen nodes; ``all`` reads the session, for writers (org import) that change nodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Building, OrgKind, OrgNode, Unit
from storage.refcache import RefView
from storage.repos.org_index import OrgIndex, load_org_index


class OrgRepo:
    def __init__(self, session: AsyncSession, ref: RefView | None = None) -> None:
        self.s = session
        self.ref = ref

    async def _index(self) -> OrgIndex | None:
        return None if self.ref is None else await self.ref.table("org", load_org_index)

    async def get(self, org_id: int) -> OrgNode | None:
        if (idx := await self._index()) is not None:
            return idx.by_id.get(org_id)
        return await self.s.get(OrgNode, org_id)

    async def by_code(self, code: str) -> OrgNode | None:
        if (idx := await self._index()) is not None:
            return idx.by_code.get(code)
        return await self.editable(code)

    async def editable(self, code: str) -> OrgNode | None:
        """The node with ``code`` from the session, to be changed (the cached ones are frozen)."""
        return (await self.s.execute(select(OrgNode).where(OrgNode.code == code))).scalars().first()

    async def by_staff_chat(self, chat_id: str) -> OrgNode | None:
        """The org node whose staff group is ``chat_id``."""
        if (idx := await self._index()) is not None:
            return next((n for n in idx.nodes if n.staff_chat_id == chat_id), None)
        q = select(OrgNode).where(OrgNode.staff_chat_id == chat_id)
        return (await self.s.execute(q)).scalars().first()

    async def all(self, kind: OrgKind | None = None) -> Sequence[OrgNode]:
        """Every node (of ``kind``), by id, from the session: these may be changed."""
        q = select(OrgNode)
        if kind is not None:
            q = q.where(OrgNode.kind == kind)
        return (await self.s.execute(q.order_by(col(OrgNode.id)))).scalars().all()

    async def children(self, org_id: int, kind: OrgKind | None = None) -> Sequence[OrgNode]:
        if (idx := await self._index()) is not None:
            return idx.children(org_id, kind)
        q = select(OrgNode).where(OrgNode.parent_id == org_id)
        if kind is not None:
            q = q.where(OrgNode.kind == kind)
        return (await self.s.execute(q.order_by(col(OrgNode.id)))).scalars().all()

    async def ancestors(self, org: OrgNode) -> list[OrgNode]:
        """The node's parents, nearest first (not the node itself)."""
        if (idx := await self._index()) is not None:
            return idx.ancestors(org)
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
        if (idx := await self._index()) is not None:
            return idx.descendants(org_id)
        out: list[OrgNode] = []
        frontier = [org_id]
        while frontier:
            q = select(OrgNode).where(col(OrgNode.parent_id).in_(frontier))
            nodes = list((await self.s.execute(q)).scalars().all())
            out.extend(nodes)
            frontier = [n.id for n in nodes if n.id is not None]
        return out

    async def compounds_of_company(self, company_id: int) -> Sequence[OrgNode]:
        if (idx := await self._index()) is not None:
            return [n for n in idx.nodes if n.kind == OrgKind.compound and n.company_id == company_id]
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
