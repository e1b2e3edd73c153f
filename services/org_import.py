"""Import the org tree (district … unit) from a YAML or CSV file, idempotently.

YAML, one district per file. Org codes match ``^[A-Za-z0-9_-]{1,40}$`` (they appear in
deep links ``c_<code>``); building and unit codes use the same alphabet, ≤ 32 chars::

    district: {code: PG, name: 平谷区, ticket_prefix: PG, timezone: Asia/Shanghai}
    companies: [{code: YJWY, name: 宜居物业, staff_chat_id: "-1001234567890"}]  # chat optional
    departments: [{code: PG-ZJW, name: 区住建委}]  # district level; `parent: <street>` allowed
    streets:
      - code: BH
        name: 滨河街道
        departments: [{code: BH-CG, name: 滨河街道城管}]
        communities:
          - code: BH-XY
            name: 兴谷园社区
            staff_chat_id: "-100…"            # optional
            compounds:
              - code: XGY
                name: 兴谷园小区
                company: YJWY                  # omitted/null: 老旧小区, served by the community
                address: 平谷区兴谷园路1号
                location: [40.14, 117.12]      # [latitude, longitude]
                buildings:
                  - code: "1"                  # name defaults to "1号楼"
                    units: [{code: 1-1-101, area: 89.5, owner: 张三},
                            {code: 1-1-102, area: 90, developer: true}]
                  - {code: "3", entrances: 2, floors: 6, per_floor: 2, area: [89.5, 102.0]}
    demo_people: […]                           # ignored here (the sandbox reads it)

A compact building generates units "<building>-<entrance>-<floor><nn>" ("3-2-501"); its
``area`` is one number or one per position on a floor, and its ``units`` list may add units
or override generated ones (e.g. add an owner). Explicit units need ``area`` (m², ≥ 0)
unless the building has a numeric ``area``. A unit's ``owner`` (≤ 100 characters) is the
owner's id or name: the same value on several units is one owner; ``developer: true`` marks a
unit the developer still holds.

CSV: one row per unit with the columns in ``CSV_COLUMNS`` (``district_code, district_name,
street_code, street_name, community_code, community_name, compound_code, compound_name,
company_code, company_name, building_code, unit_code, area_m2``, optional ``owner_name`` and
``developer`` (true/false, yes/no, 1/0; empty = not given); other columns are refused); an
empty ``company_code`` means 老旧小区. UTF-8 (BOM or not) or GB18030 as Excel saves it.

Records are keyed by code: names, areas, parents and company links are updated, nothing
is deleted. Optional attributes (staff_chat_id, address, location, owner, developer) are
written only when their key is present (null clears; ``ticket_prefix`` and ``timezone``
cannot be cleared); ``company`` always is. Unknown keys are refused. Every problem is
collected with its path and raised as ``FileInvalid("org_file_invalid", problems)``
(services/validation.py) before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from services.org_file import CSV_COLUMNS, load_org_file
from services.org_parse import KINDS, ORDER, K, invalid, parse_org
from services.routing import seed_default_rules
from services.validation import Problem
from storage.models import Building, OrgNode, Unit
from storage.uow import UnitOfWork

__all__ = ["CSV_COLUMNS", "ImportReport", "KindCounts", "import_org", "load_org_file"]


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """Per kind (district … department, building, unit): created / updated / unchanged."""

    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    rules_seeded: int = 0

    def bump(self, kind: str, outcome: str) -> None:
        setattr(self.counts[kind], outcome, getattr(self.counts[kind], outcome) + 1)

    @property
    def created(self) -> int:  # all kinds
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:  # all kinds
        return sum(c.updated for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return self.created + self.updated > 0


async def import_org(uow: UnitOfWork, doc: dict[str, Any]) -> ImportReport:
    """Create or update the org tree described by `doc` (validated first); the caller commits."""
    p = parse_org(doc)
    stored = {n.code: n for n in await uow.org.all()}
    clash = [
        Problem(n.loc + ("code",), "validation-code-in-use", {"code": c, "kind": stored[c].kind.value})
        for c, n in p.nodes.items()
        if c in stored and stored[c].kind != n.kind
    ]
    if clash:
        raise invalid(clash)
    report = ImportReport()
    for kind in ORDER:
        for n in (x for x in p.nodes.values() if x.kind == kind):
            vals = {**n.values, "parent_id": stored[n.parent].id if n.parent else None}
            if kind == K.compound:
                vals["company_id"] = stored[n.company].id if n.company else None
            node = stored.get(n.code)
            if node is None:
                new: dict[str, Any] = {
                    "timezone": "Asia/Shanghai",
                    "ticket_prefix": re.sub(r"\W|_", "", n.code)[:8],
                }
                new = {**new, **vals} if kind == K.district else vals
                uow.org.add(stored.setdefault(n.code, OrgNode(code=n.code, kind=kind, **new)))
            report.bump(
                kind.value, "created" if node is None else "updated" if _apply(node, vals) else "unchanged"
            )
        await uow.flush()
    ids = {cp: _id(stored[cp]) for cp, _ in p.buildings}
    blds = {(b.compound_id, b.code): b for b in await uow.org.buildings_of(ids.values())}
    for (cp, code), name in p.buildings.items():
        if (b := blds.get((ids[cp], code))) is None:
            uow.org.add(blds.setdefault((ids[cp], code), Building(compound_id=ids[cp], code=code, name=name)))
        report.bump(
            "building", "created" if b is None else "updated" if _apply(b, {"name": name}) else "unchanged"
        )
    await uow.flush()
    units = {(u.compound_id, u.code): u for u in await uow.org.units_in(ids.values())}
    for (cp, code), v in p.units.items():
        vals = {k: x for k, x in v.items() if k != "building"} | {
            "building_id": _id(blds[(ids[cp], v["building"])])
        }
        if (u := units.get((ids[cp], code))) is None:
            uow.org.add(Unit(compound_id=ids[cp], code=code, **vals))
        report.bump("unit", "created" if u is None else "updated" if _apply(u, vals) else "unchanged")
    await uow.flush()
    report.rules_seeded = await seed_default_rules(uow)
    return report


def _id(obj: OrgNode | Building) -> int:
    assert obj.id is not None
    return obj.id


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    for k, v in changed.items():
        setattr(obj, k, v)
    return bool(changed)
