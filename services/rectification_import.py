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
updated; a new deadline starts its reminders afresh). The whole file is checked first
(PlanFileIn, ``extra="forbid"``; then the compound and every owner): any problem and nothing
is stored; ``FileInvalid("rx_file_invalid", problems)`` lists each with its path, e.g.
``categories.sanitation[1].deadline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, ValidationError

from services import rectification as rx
from services.errors import DomainError
from services.validation import (
    TAG_PREFIX,
    FileInvalid,
    IntToStr,
    Loc,
    Problem,
    fail,
    format_loc,
    from_pydantic,
    load_yaml,
    matches,
    text,
)
from storage.models import OrgKind
from storage.uow import UnitOfWork

QUARTER = re.compile(rx.QUARTER.pattern)


@dataclass
class ImportReport:
    plan_id: int
    created: bool
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Item:
    loc: Loc
    category: str
    title: str
    owner: str
    deadline: date


def _as_date(v: Any) -> Any:
    """A date written 2026-12-31 (services.validation.load_yaml leaves dates as text)."""
    if isinstance(v, date) and not isinstance(v, datetime):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise fail("validation-date")


def _shape(v: Any) -> str:
    return f"{TAG_PREFIX}list" if isinstance(v, list) else f"{TAG_PREFIX}mapping"


def _invalid(problems: list[Problem]) -> FileInvalid:
    return FileInvalid("rx_file_invalid", problems)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Category = Annotated[str, IntToStr, text(32)]


class PlanItemIn(Strict):
    title: Annotated[str, IntToStr, text(300)]
    owner: Annotated[str, IntToStr, text(64)]  # an org code or an account id
    deadline: Annotated[date, BeforeValidator(_as_date)]


class PlanGroupIn(Strict):
    category: Category
    items: list[PlanItemIn] = Field(default_factory=list)


class PlanFileIn(Strict):
    compound: Annotated[str, IntToStr, text(64)]
    quarter: Annotated[str, IntToStr, text(6), matches(QUARTER, "validation-quarter")]
    title: Annotated[str, IntToStr, text(200)]
    # a mapping category → items, or a list of {category, items} (the tags never show in paths)
    categories: Annotated[
        Annotated[dict[Category, list[PlanItemIn]], Tag(f"{TAG_PREFIX}mapping")]
        | Annotated[list[PlanGroupIn], Tag(f"{TAG_PREFIX}list")],
        Discriminator(_shape),
    ]


def load_plan_file(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise _invalid([Problem((), "validation-file-unreadable", {"file": Path(path).name})]) from err
    return load_yaml(text, "rx_file_invalid")


def parse(doc: Any) -> tuple[PlanFileIn, list[_Item]]:
    """The plan and its items; FileInvalid with every problem and its path when invalid."""
    try:
        plan = PlanFileIn.model_validate(doc)
    except ValidationError as err:
        raise _invalid(from_pydantic(err)) from err
    items: list[_Item] = []
    groups: list[tuple[Loc, str, list[PlanItemIn]]]
    if isinstance(plan.categories, dict):
        groups = [(("categories", c), c, rows) for c, rows in plan.categories.items()]
    else:
        groups = [(("categories", i, "items"), g.category, g.items) for i, g in enumerate(plan.categories)]
    for loc, category, rows in groups:
        items += [_Item(loc + (i,), category, r.title, r.owner, r.deadline) for i, r in enumerate(rows)]
    first: dict[tuple[str, str], _Item] = {}
    problems = []
    for it in items:
        if (other := first.setdefault((it.category, it.title), it)) is not it:
            problems.append(
                Problem(
                    it.loc + ("title",),
                    "validation-plan-duplicate-item",
                    {"title": it.title[:40], "other": _where(other.loc)},
                )
            )
    if problems:
        raise _invalid(problems)
    return plan, items


def _where(loc: Loc) -> str:
    return format_loc(loc)


async def import_plan(uow: UnitOfWork, doc: Any) -> ImportReport:
    """Create or update the plan described by ``doc`` (checked whole first; the caller commits)."""
    head, items = parse(doc)
    problems: list[Problem] = []
    node = await uow.org.by_code(head.compound)
    if node is None or node.kind != OrgKind.compound or node.id is None:
        problems.append(Problem(("compound",), "validation-unknown-compound", {"code": head.compound[:40]}))
    owners: dict[str, tuple[int | None, int | None]] = {}
    for it in items:  # every owner must exist before anything is written
        if it.owner in owners:
            continue
        try:
            owners[it.owner] = await rx.resolve_owner(uow, it.owner)
        except DomainError:
            problems.append(
                Problem(it.loc + ("owner",), "validation-unknown-owner", {"owner": it.owner[:40]})
            )
    if problems:
        raise _invalid(problems)
    assert node is not None and node.id is not None
    categories = list(dict.fromkeys(i.category for i in items))
    plan, created = await rx.open_plan(uow, None, node.id, head.quarter, head.title, categories or None)
    plan.title = head.title
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
