"""Import a rectification plan from YAML (``gongzhi plan import FILE.yaml``)::

    compound: XGY
    quarter: 2026Q3
    title: 兴谷园小区 2026 年第三季度专项整治方案
    categories:
      sanitation:                       # a category key (or any short name)
        - {title: 清理楼道堆物, owner: YJWY, deadline: 2026-12-31}
        - {title: 垃圾分类桶站改造, owner: BH-XY, deadline: 2027-01-15}
      parking:
        - {title: 施划停车位, owner: 17, deadline: 2027-01-31}   # owner: an account id

``categories`` may also be a list of ``{category: key, items: [...]}``. Owners are org codes
(company, community, department, street) or account ids. Importing again is idempotent: the
plan is matched by compound and quarter, items by category and title (owner and deadline are
updated; a new deadline starts its reminders afresh). The whole file is checked first; any
error and nothing is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

from services import rectification as rx
from services.errors import DomainError
from storage.models import OrgKind
from storage.uow import UnitOfWork

TOP_KEYS = {"compound", "quarter", "title", "categories"}


@dataclass
class ImportReport:
    plan_id: int
    created: bool
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Item:
    category: str
    title: str
    owner: str
    deadline: date


def load_plan_file(path: str | Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as err:
        raise DomainError("rx_file_invalid", detail=str(err)[:300]) from err


def _groups(raw: Any, errors: list[str]) -> list[tuple[str, Any]]:
    if isinstance(raw, dict):
        return [(str(k), v) for k, v in raw.items()]
    if isinstance(raw, list):
        out = []
        for i, g in enumerate(raw):
            if not isinstance(g, dict) or not g.get("category"):
                errors.append(f"categories[{i}]: needs category and items")
                continue
            out.append((str(g["category"]), g.get("items") or []))
        return out
    errors.append("categories: a mapping of category → items, or a list")
    return []


def parse(doc: Any) -> tuple[dict[str, Any], list[_Item]]:
    """The plan's fields and items; DomainError listing the first problems when invalid."""
    errors: list[str] = []
    if not isinstance(doc, dict):
        raise DomainError("rx_file_invalid", detail="the file must be a mapping")
    errors += [f"unknown key '{k}'" for k in sorted(set(map(str, doc)) - TOP_KEYS)]
    errors += [f"missing '{k}'" for k in sorted(TOP_KEYS - set(map(str, doc)))]
    head = {k: str(doc.get(k) or "").strip() for k in ("compound", "quarter", "title")}
    if not rx.QUARTER.match(head["quarter"]):
        errors.append(f"quarter '{head['quarter']}': write it like 2026Q3")
    if not head["title"] or len(head["title"]) > 200:
        errors.append("title: 1–200 characters")
    items: list[_Item] = []
    for category, rows in _groups(doc.get("categories"), errors):
        if not category or len(category) > 32:
            errors.append(f"category '{category[:40]}': 1–32 characters")
        if not isinstance(rows, list):
            errors.append(f"{category}: items must be a list")
            continue
        for i, row in enumerate(rows):
            where = f"{category}[{i}]"
            if not isinstance(row, dict) or set(map(str, row)) - {"title", "owner", "deadline"}:
                errors.append(f"{where}: an item has title, owner and deadline")
                continue
            title, owner = str(row.get("title") or "").strip(), str(row.get("owner") or "").strip()
            deadline = rx.as_date(row.get("deadline"))
            if not title or len(title) > 300:
                errors.append(f"{where}: title 1–300 characters")
            if not owner:
                errors.append(f"{where}: owner missing")
            if deadline is None:
                errors.append(f"{where}: deadline must be a date YYYY-MM-DD")
            if title and owner and deadline is not None:
                items.append(_Item(category, title, owner, deadline))
    keys = [(i.category, i.title) for i in items]
    errors += [f"{c}: item '{t}' twice" for c, t in sorted({k for k in keys if keys.count(k) > 1})]
    if errors:
        raise DomainError("rx_file_invalid", detail="; ".join(errors[:8]))
    return head, items


async def import_plan(uow: UnitOfWork, doc: Any) -> ImportReport:
    head, items = parse(doc)
    node = await uow.org.by_code(head["compound"])
    if node is None or node.kind != OrgKind.compound or node.id is None:
        raise DomainError("rx_file_invalid", detail=f"compound '{head['compound']}' not found")
    owners = {}
    for it in items:  # every owner must exist before anything is written
        try:
            owners[it.owner] = await rx.resolve_owner(uow, it.owner)
        except DomainError as err:
            raise DomainError("rx_file_invalid", detail=f"{it.category}/{it.title}: unknown owner '{it.owner}'") from err
    categories = list(dict.fromkeys(i.category for i in items))
    plan, created = await rx.open_plan(uow, None, node.id, head["quarter"], head["title"], categories or None)
    plan.title = head["title"]
    plan.categories = list(dict.fromkeys([*plan.categories, *categories]))
    report = ImportReport(plan.id or 0, created)
    existing = {(i.category, i.title): i for i in await rx.items_of(uow, plan.id or 0)}
    for it in items:
        org_id, account_id = owners[it.owner]
        old = existing.get((it.category, it.title))
        if old is None:
            await rx.add_item(uow, None, plan, it.category, it.title, it.owner, it.deadline)
            report.added += 1
            continue
        if (old.owner_org_id, old.owner_account_id, old.deadline) == (org_id, account_id, it.deadline):
            report.unchanged += 1
            continue
        if old.deadline != it.deadline and old.done_at is None:
            old.reminded_percent, old.escalation_level = 0, 0
        old.owner_org_id, old.owner_account_id, old.deadline = org_id, account_id, it.deadline
        report.updated += 1
    await uow.flush()
    return report
