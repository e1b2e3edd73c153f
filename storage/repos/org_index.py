"""The org tree in memory: every node by id, by code and by parent (one query, frozen rows)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OrgKind, OrgNode
from storage.refcache import load_all


@dataclass(frozen=True)
class OrgIndex:
    nodes: tuple[OrgNode, ...]  # by id
    by_id: dict[int, OrgNode] = field(default_factory=dict)
    by_code: dict[str, OrgNode] = field(default_factory=dict)
    kids: dict[int, list[OrgNode]] = field(default_factory=dict)

    @classmethod
    def of(cls, nodes: list[OrgNode]) -> OrgIndex:
        kids: dict[int, list[OrgNode]] = defaultdict(list)
        for n in nodes:
            if n.parent_id is not None:
                kids[n.parent_id].append(n)
        by_id = {n.id: n for n in nodes if n.id is not None}
        return cls(tuple(nodes), by_id, {n.code: n for n in nodes}, dict(kids))

    def children(self, org_id: int, kind: OrgKind | None = None) -> list[OrgNode]:
        return [n for n in self.kids.get(org_id, ()) if kind is None or n.kind == kind]

    def ancestors(self, org: OrgNode) -> list[OrgNode]:
        out: list[OrgNode] = []
        cur: OrgNode | None = org
        while cur is not None and cur.parent_id is not None:
            cur = self.by_id.get(cur.parent_id)
            if cur is not None:
                out.append(cur)
        return out

    def descendants(self, org_id: int) -> list[OrgNode]:
        out: list[OrgNode] = []
        frontier = [org_id]
        while frontier:
            level = [n for f in frontier for n in self.kids.get(f, ())]
            out.extend(level)
            frontier = [n.id for n in level if n.id is not None]
        return out


async def load_org_index(session: AsyncSession) -> OrgIndex:
    return OrgIndex.of(await load_all(session, OrgNode))
