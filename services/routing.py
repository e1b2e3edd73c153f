"""Routing: which queue (property company or community) gets a ticket."""

from __future__ import annotations

from dataclasses import dataclass

from services.categories import BY_KEY, CATEGORIES
from services.errors import DomainError
from storage.models import OrgKind, OrgNode, Priority, Queue, RoutingRule
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Route:
    queue: Queue
    org_id: int  # the company or community node that owns the queue
    priority: Priority


async def seed_default_rules(uow: UnitOfWork) -> int:
    """Insert the per-category defaults that are missing; returns how many."""
    added = 0
    for c in CATEGORIES:
        if await uow.policy.routing_lookup(None, c.key) is None:
            uow.tickets.add_rule(
                RoutingRule(compound_id=None, category=c.key, queue=c.queue, priority=c.priority)
            )
            added += 1
    await uow.flush()
    return added


async def community_of(uow: UnitOfWork, compound: OrgNode) -> OrgNode:
    community = await uow.org.ancestor_of_kind(compound, OrgKind.community)
    if community is None:
        raise DomainError("no_community", compound=compound.name)
    return community


async def route(uow: UnitOfWork, compound: OrgNode, category: str) -> Route:
    """Compound rule, then the default rule, then the built-in default.
    A compound with no property company (老旧小区) always goes to the community."""
    if category not in BY_KEY:
        raise DomainError("unknown_category")
    assert compound.id is not None
    rule = await uow.policy.routing_lookup(compound.id, category) or await uow.policy.routing_lookup(
        None, category
    )
    default = BY_KEY[category]
    queue = Queue(rule.queue) if rule else default.queue
    priority = Priority(rule.priority) if rule and rule.priority else default.priority
    if queue == Queue.property and compound.company_id is not None:
        return Route(Queue.property, compound.company_id, priority)
    community = await community_of(uow, compound)
    assert community.id is not None
    return Route(Queue.community, community.id, priority)
