"""Read-only queries over rectification plans: the plans and items of an area, their progress
for the digests, and the on-time share of items for 新三率 (专项整治到位率)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services import orgtime
from services.errors import DomainError
from storage.models import Account, OrgKind, RectificationItem, RectificationPlan, Role
from storage.queries import rectification as rq
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class PlanProgress:
    plan_id: int
    compound: str
    quarter: str
    title: str
    done: int
    total: int
    overdue: int


async def items_of(uow: UnitOfWork, plan_id: int) -> list[RectificationItem]:
    return await rq.items_of(uow.session, plan_id)


async def compounds_under(uow: UnitOfWork, org_ids: list[int]) -> list[int]:
    """Compounds that are, lie below, or are served by (companies) the given nodes."""
    out: set[int] = set()
    for org_id in org_ids:
        org = await uow.org.get(org_id)
        if org is None:
            continue
        if org.kind == OrgKind.company:
            out.update(n.id or 0 for n in await uow.org.compounds_of_company(org_id))
        elif org.kind == OrgKind.compound:
            out.add(org_id)
        else:
            out.update(n.id or 0 for n in await uow.org.descendants(org_id) if n.kind == OrgKind.compound)
    return sorted(out)


async def plans_in(uow: UnitOfWork, compound_ids: list[int]) -> list[RectificationPlan]:
    return await rq.plans_in(uow.session, compound_ids)


async def plans_for_account(uow: UnitOfWork, account: Account) -> list[RectificationPlan]:
    """Plans in the compounds a community / street / admin / property-company role covers."""
    assert account.id is not None
    roles = (Role.community, Role.street, Role.admin, Role.manager, Role.staff)
    orgs = [g.org_id for g in await uow.accounts.grants(account.id) if Role(g.role) in roles]
    if not orgs:
        raise DomainError("rx_not_allowed")
    return await plans_in(uow, await compounds_under(uow, orgs))


async def _due(
    uow: UnitOfWork, plan: RectificationPlan, item: RectificationItem, cache: dict[int, str]
) -> datetime:
    if plan.compound_id not in cache:
        cache[plan.compound_id] = await orgtime.org_zone(uow, plan.compound_id)
    return orgtime.end_of_day(item.deadline, cache[plan.compound_id])


async def plan_progress(uow: UnitOfWork, compound_ids: list[int], now: datetime) -> list[PlanProgress]:
    """Done/total and overdue items of the open plans in these compounds."""
    out, zones = [], {}  # type: list[PlanProgress], dict[int, str]
    for plan in await plans_in(uow, compound_ids):
        if plan.status != "open":
            continue
        items = await items_of(uow, plan.id or 0)
        overdue = [i for i in items if i.done_at is None and await _due(uow, plan, i, zones) <= now]
        node = await uow.org.get(plan.compound_id)
        out.append(
            PlanProgress(
                plan.id or 0,
                node.name if node else "?",
                plan.quarter,
                plan.title,
                sum(i.done_at is not None for i in items),
                len(items),
                len(overdue),
            )
        )
    return out


async def items_on_time_share(
    uow: UnitOfWork, org_ids: list[int], start: datetime, end: datetime
) -> float | None:
    """Share of the items due in (start, end] (deadline day ending in the period) that were
    done by their deadline, for the compounds of ``org_ids`` (新三率: 专项整治到位率). Items not
    yet due at the clock's now and not done do not count yet; None when no item counts."""
    now, zones = uow.clock.now(), {}  # type: datetime, dict[int, str]
    counted = on_time = 0
    for plan in await plans_in(uow, await compounds_under(uow, org_ids)):
        for item in await items_of(uow, plan.id or 0):
            due = await _due(uow, plan, item, zones)
            if not start < due <= end or (item.done_at is None and due > now):
                continue
            counted += 1
            on_time += item.done_at is not None and item.done_at < due
    return on_time / counted if counted else None
