"""The org tree in memory, to roll per-compound counts up to companies, communities, streets
and the district (a few thousand nodes: one query)."""

from __future__ import annotations

from collections.abc import Iterable

from storage.models import OrgKind, OrgNode
from storage.uow import UnitOfWork


class OrgIndex:
    """All org nodes in memory (a few thousand rows), to roll compounds up the tree."""

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self.by_id = {n.id: n for n in nodes if n.id is not None}
        self.by_code = {n.code: n for n in self.by_id.values()}

    @classmethod
    async def load(cls, uow: UnitOfWork) -> OrgIndex:
        return cls(await uow.org.all())

    def compounds(self) -> list[OrgNode]:
        return [n for n in self.by_id.values() if n.kind == OrgKind.compound]

    def ancestor(self, node: OrgNode, kind: OrgKind) -> OrgNode | None:
        cur: OrgNode | None = node
        while cur is not None and cur.kind != kind:
            cur = self.by_id.get(cur.parent_id) if cur.parent_id is not None else None
        return cur

    def group_of(self, compound: OrgNode, level: str) -> OrgNode | None:
        if level == "company":
            return self.by_id.get(compound.company_id) if compound.company_id is not None else None
        return self.ancestor(compound, OrgKind(level))

    def company_of(self, compound_id: int) -> int | None:
        """The property company serving a compound (None: 老旧小区 or unknown)."""
        node = self.by_id.get(compound_id)
        return node.company_id if node is not None else None

    def compounds_under(self, org_id: int) -> list[OrgNode]:
        org = self.by_id.get(org_id)
        if org is None:
            return []
        level = "company" if org.kind == OrgKind.company else str(org.kind)
        return [c for c in self.compounds() if (g := self.group_of(c, level)) is not None and g.id == org_id]

    def compounds_under_any(self, org_ids: Iterable[int]) -> list[OrgNode]:
        """Compounds that are, lie below, or are served by (companies) any of these nodes, by id."""
        found = {c.id: c for oid in org_ids for c in self.compounds_under(oid)}
        return [found[k] for k in sorted(k for k in found if k is not None)]
