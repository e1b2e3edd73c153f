"""Reminders and escalations of rectification items, like those of tickets.

For an item not done, with the clock running from the plan's creation (or the item's, when it
was added later) to the end of its deadline day in the district's zone:

* at 50 % and 80 % of that time its owners get an "rx_reminder" (only the latest one reached,
  when a tick comes late); at the deadline an overdue one (percent 100);
* at the deadline the item escalates to level 1: the street officers of the compound's
  street get an "rx_escalation" (the street's admins when it has no officer);
* one more such period later (at least a day) it escalates to level 2: the district admins.

``reminded_percent`` and ``escalation_level`` on the item record what was done and the outbox
rows are unique per item, deadline and step, so each happens once. The caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from services import notify, orgtime
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

FRACTIONS = (0.5, 0.8)
MAX_LEVEL = 2
OWNER_ROLES = {
    OrgKind.company: (Role.staff, Role.manager),
    OrgKind.community: (Role.community,),
    OrgKind.department: (Role.department,),
    OrgKind.street: (Role.street,),
}


async def owners(uow: UnitOfWork, item: RectificationItem, node: OrgNode) -> list[Account]:
    """The owner account, or the role holders of the owner org; the compound's community
    workers when nobody holds such a role."""
    if item.owner_account_id is not None:
        acc = await uow.accounts.get(item.owner_account_id)
        return [acc] if acc is not None else []
    org = await uow.org.get(item.owner_org_id) if item.owner_org_id is not None else None
    people: list[Account] = []
    if org is not None and org.id is not None:
        people = list(await uow.accounts.holders(OWNER_ROLES.get(OrgKind(org.kind), ()), [org.id]))
    if not people:
        community = await uow.org.ancestor_of_kind(node, OrgKind.community)
        if community is not None and community.id is not None:
            people = list(await uow.accounts.holders([Role.community], [community.id]))
    return people


async def level_people(uow: UnitOfWork, node: OrgNode, level: int) -> list[Account]:
    kind, role = (OrgKind.street, Role.street) if level == 1 else (OrgKind.district, Role.admin)
    target = await uow.org.ancestor_of_kind(node, kind)
    if target is None or target.id is None:
        return []
    people = list(await uow.accounts.holders([role], [target.id]))
    if not people and role != Role.admin:
        people = list(await uow.accounts.holders([Role.admin], [target.id]))
    return people


async def _send(
    uow: UnitOfWork, people: list[Account], kind: str, key: str, payload: dict[str, object]
) -> int:
    n = 0
    for person in people:
        if person.id is not None:
            n += await notify.to_account(uow, person.id, kind, ticket=None, key=key, payload=payload)
    return n


def clock_of(plan: RectificationPlan, item: RectificationItem, tz: str) -> tuple[datetime, datetime]:
    """(start, due) of the item's clock."""
    return max(plan.created_at, item.created_at), orgtime.end_of_day(item.deadline, tz)


async def check_item(
    uow: UnitOfWork, plan: RectificationPlan, item: RectificationItem, node: OrgNode, tz: str, now: datetime
) -> int:
    start, due = clock_of(plan, item, tz)
    span = max(due - start, timedelta(0))
    base = f"{item.id}:{item.deadline.isoformat()}"
    written = 0
    reached = [int(f * 100) for f in FRACTIONS if start + span * f <= now] + ([100] if now >= due else [])
    if reached and max(reached) > item.reminded_percent:
        percent = max(reached)
        written += await _send(
            uow,
            await owners(uow, item, node),
            "rx_reminder",
            f"{base}:{percent}",
            {"item_id": item.id, "percent": percent},
        )
        item.reminded_percent = percent
    for level, at in ((1, due), (2, due + max(span, timedelta(days=1)))):
        if now >= at and item.escalation_level == level - 1:
            item.escalation_level = level
            written += await _send(
                uow,
                await level_people(uow, node, level),
                "rx_escalation",
                f"{base}:L{level}",
                {"item_id": item.id, "level": level},
            )
    return written


async def run_scheduled(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Reminders and escalations due by ``now`` for every open item of every open plan;
    returns how many outbox rows were new."""
    now = now or uow.clock.now()
    zones: dict[int, str] = {}
    written = 0
    for item, plan in await rq.open_items_due(uow.session, MAX_LEVEL):
        node = await uow.org.get(plan.compound_id)
        if node is None:
            continue
        if plan.compound_id not in zones:
            zones[plan.compound_id] = await orgtime.org_zone(uow, plan.compound_id)
        written += await check_item(uow, plan, item, node, zones[plan.compound_id], now)
    await uow.flush()
    return written
