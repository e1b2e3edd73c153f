"""Rectification plans (一小区一方案) for the compounds a quarterly ranking names.

A plan is one per compound and quarter; opening it again returns the existing one. New plans
get the compound's top complaint categories of that quarter. Each item has an owner (an org
node or one account) and a local-date deadline (due at the end of that day); reminders and
escalations live in services/rectification_tick.py.

Who may do what: the community of the compound, the street above it and admins on any node
above it open plans and add items; they and the item's owners (the owner account, or anyone
holding a role on the owner org) tick items done; the compound's property company may view.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from services import orgtime, periods
from services.errors import DomainError, NotFound
from services.rectification_queries import (
    PlanProgress,
    compounds_under,
    items_of,
    items_on_time_share,
    plan_progress,
    plans_for_account,
    plans_in,
)
from services.rectification_tick import run_scheduled
from storage.models import (
    Account,
    OrgKind,
    OrgNode,
    RectificationItem,
    RectificationPlan,
    Role,
)
from storage.queries import rectification as rq
from storage.uow import UnitOfWork

__all__ = [
    "PlanProgress",
    "add_item",
    "compounds_under",
    "items_of",
    "items_on_time_share",
    "mark_done",
    "open_plan",
    "plan_progress",
    "plans_for_account",
    "plans_in",
    "run_scheduled",
]
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
DEFAULT_CATEGORIES = 4
OWNER_KINDS = (OrgKind.company, OrgKind.community, OrgKind.department, OrgKind.street)
MANAGE_ROLES = {OrgKind.community: Role.community, OrgKind.street: Role.street}


def quarter_dates(quarter: str) -> tuple[date, date]:
    """First day of the quarter and of the next one."""
    m = QUARTER.match(quarter)
    if m is None:
        raise DomainError("rx_bad_quarter", quarter=quarter[:12])
    year, q = int(m.group(1)), int(m.group(2))
    start = date(year, 3 * q - 2, 1)
    return start, date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)


async def compound(uow: UnitOfWork, compound_id: int) -> OrgNode:
    node = await uow.org.get(compound_id)
    if node is None or node.kind != OrgKind.compound:
        raise DomainError("compound_not_found")
    return node


async def can_manage(uow: UnitOfWork, account: Account, node: OrgNode) -> bool:
    assert account.id is not None
    above = {a.id: a for a in await uow.org.ancestors(node)}
    for g in await uow.accounts.grants(account.id):
        org = above.get(g.org_id)
        if org is not None and (Role(g.role) == Role.admin or MANAGE_ROLES.get(OrgKind(org.kind)) == g.role):
            return True
    return False


async def is_owner(uow: UnitOfWork, account: Account, item: RectificationItem) -> bool:
    assert account.id is not None
    if item.owner_account_id == account.id:
        return True
    return item.owner_org_id is not None and any(
        g.org_id == item.owner_org_id for g in await uow.accounts.grants(account.id)
    )


async def can_view(uow: UnitOfWork, account: Account, plan: RectificationPlan) -> bool:
    node = await compound(uow, plan.compound_id)
    if await can_manage(uow, account, node):
        return True
    assert account.id is not None
    grants = await uow.accounts.grants(account.id)
    if node.company_id is not None and any(g.org_id == node.company_id for g in grants):
        return True
    return any([await is_owner(uow, account, i) for i in await items_of(uow, plan.id or 0)])


async def top_categories(
    uow: UnitOfWork, compound_id: int, quarter: str, n: int = DEFAULT_CATEGORIES
) -> list[str]:
    """The compound's most reported categories in the quarter (all time when it had none)."""
    tz = await orgtime.org_zone(uow, compound_id)
    first, after = quarter_dates(quarter)
    start, end = (
        orgtime.at_local(first, datetime.min.time(), tz),
        orgtime.at_local(after, datetime.min.time(), tz),
    )
    for lo, hi in ((start, end), (None, None)):
        rows = await rq.top_categories(uow.session, compound_id, lo, hi, n)
        if rows:
            return [c for c, _ in rows]
    return ["other"]


async def plan_for(uow: UnitOfWork, compound_id: int, quarter: str) -> RectificationPlan | None:
    return await rq.plan_for(uow.session, compound_id, quarter)


async def open_plan(
    uow: UnitOfWork,
    actor: Account | None,
    compound_id: int,
    quarter: str,
    title: str,
    categories: list[str] | None = None,
) -> tuple[RectificationPlan, bool]:
    """The compound's plan for the quarter, created when missing; (plan, created).
    ``actor`` None: an operator (the CLI), no role check."""
    node = await compound(uow, compound_id)
    quarter_dates(quarter)
    if actor is not None and not await can_manage(uow, actor, node):
        raise DomainError("rx_not_allowed")
    existing = await plan_for(uow, compound_id, quarter)
    if existing is not None:
        return existing, False
    plan = RectificationPlan(
        compound_id=compound_id,
        quarter=quarter,
        title=title.strip()[:200],
        categories=categories or await top_categories(uow, compound_id, quarter),
        created_by=actor.id if actor else None,
        created_at=uow.clock.now(),
    )
    uow.rectification.add(plan)
    await uow.flush()
    return plan, True


async def get_plan(uow: UnitOfWork, plan_id: int) -> RectificationPlan:
    plan = await uow.rectification.plan(plan_id)
    if plan is None:
        raise NotFound("rx_plan")
    return plan


async def resolve_owner(uow: UnitOfWork, text: str) -> tuple[int | None, int | None]:
    """An owner given as an org code (company, community, department, street) or an account
    id: (owner_org_id, owner_account_id)."""
    code = text.strip()
    if code.isdigit() and len(code) < 12:
        acc = await uow.accounts.get(int(code))
        if acc is not None:
            return None, acc.id
    org = await uow.org.by_code(code)
    if org is None or org.kind not in OWNER_KINDS:
        raise DomainError("rx_bad_owner", owner=code[:64])
    return org.id, None


async def add_item(
    uow: UnitOfWork,
    actor: Account | None,
    plan: RectificationPlan,
    category: str,
    title: str,
    owner: str,
    deadline: date,
) -> RectificationItem:
    if actor is not None and not await can_manage(uow, actor, await compound(uow, plan.compound_id)):
        raise DomainError("rx_not_allowed")
    title = title.strip()
    if not title or len(title) > 300:
        raise DomainError("rx_bad_title")
    if not category or len(category) > 32:
        raise DomainError("rx_bad_category")
    tz = await orgtime.org_zone(uow, plan.compound_id)  # an import may record past deadlines
    if actor is not None and deadline < periods.local_date(uow.clock.now(), tz):
        raise DomainError("rx_bad_deadline", deadline=deadline.isoformat())
    org_id, account_id = await resolve_owner(uow, owner)
    item = RectificationItem(
        plan_id=plan.id or 0,
        category=category,
        title=title,
        owner_org_id=org_id,
        owner_account_id=account_id,
        deadline=deadline,
        created_at=uow.clock.now(),
    )
    uow.rectification.add(item)
    if category not in plan.categories:
        plan.categories = [*plan.categories, category]
    await uow.flush()
    return item


async def mark_done(uow: UnitOfWork, actor: Account, item_id: int) -> RectificationItem:
    item = await uow.rectification.item(item_id, for_update=True)
    if item is None:
        raise NotFound("rx_item")
    plan = await get_plan(uow, item.plan_id)
    node = await compound(uow, plan.compound_id)
    if not (await is_owner(uow, actor, item) or await can_manage(uow, actor, node)):
        raise DomainError("rx_not_allowed")
    if item.done_at is not None:
        raise DomainError("rx_already_done", title=item.title[:60])
    item.done_at, item.done_by = uow.clock.now(), actor.id
    await uow.flush()
    return item


def as_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None
