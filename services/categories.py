"""Ticket categories and their default routing (domain-rules.md).

These are defaults seeded as RoutingRule rows with no compound; a compound
or an operator may override them per category.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Priority, Queue


@dataclass(frozen=True)
class Category:
    key: str
    queue: Queue
    priority: Priority


CATEGORIES: tuple[Category, ...] = (
    Category("heating", Queue.property, Priority.urgent),
    Category("leak", Queue.property, Priority.urgent),
    Category("drain", Queue.property, Priority.urgent),
    Category("elevator", Queue.property, Priority.urgent),
    Category("power_water", Queue.property, Priority.urgent),
    Category("sanitation", Queue.property, Priority.normal),
    Category("greenery", Queue.property, Priority.normal),
    Category("parking", Queue.property, Priority.normal),
    Category("fees", Queue.property, Priority.normal),
    Category("ev_charging", Queue.property, Priority.normal),
    Category("fire_lane", Queue.property, Priority.urgent),
    Category("renovation", Queue.property, Priority.normal),
    Category("noise", Queue.community, Priority.normal),
    Category("dogs", Queue.community, Priority.normal),
    Category("illegal_building", Queue.community, Priority.normal),
    Category("group_rental", Queue.community, Priority.normal),
    Category("other", Queue.community, Priority.normal),
)

BY_KEY = {c.key: c for c in CATEGORIES}


def is_category(key: str) -> bool:
    return key in BY_KEY
