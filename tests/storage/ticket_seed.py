"""Tickets written straight into the table with exact times and outcomes, for the reporting
tests (metrics, ranking, export): the demo org, and one call per ticket."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from services.org_import import import_org, load_org_file
from storage.models import Priority, Queue, Source, Ticket, TicketState
from storage.uow import UnitOfWork, UowFactory

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
_numbers = itertools.count(1)


async def demo_org(uow_factory: UowFactory) -> dict[str, int]:
    """Import the demo org; returns org ids by code."""
    async with uow_factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
        return {n.code: n.id for n in await uow.org.all() if n.id is not None}


async def add_ticket(uow: UnitOfWork, compound: str, created: datetime, *, category: str = "leak",
                     state: TicketState = TicketState.new, ack: timedelta | None = None,
                     resolved: timedelta | None = None, closed: timedelta | None = None,
                     rating: int | None = None, reject_reason: str | None = None,
                     source: Source = Source.chat, respond_within: timedelta = timedelta(hours=2),
                     resolve_within: timedelta = timedelta(days=1), **extra: Any) -> Ticket:
    """``ack``/``resolved``/``closed`` are offsets from ``created``; the due times are
    ``created + respond_within`` and ``created + resolve_within``."""
    node = await uow.org.by_code(compound)
    assert node is not None and node.id is not None
    if node.company_id is not None and extra.get("queue", Queue.property) == Queue.property:
        queue, queue_org = Queue.property, node.company_id
    else:
        community = await uow.org.get(node.parent_id or 0)
        assert community is not None and community.id is not None
        queue, queue_org = Queue.community, community.id
    extra.pop("queue", None)
    t = Ticket(
        number=f"T-{next(_numbers):06d}", compound_id=node.id, category=category,
        priority=Priority.urgent, description=extra.pop("description", "漏水"), queue=queue,
        queue_org_id=queue_org, state=state, source=source, created_at=created, updated_at=created,
        acknowledged_at=created + ack if ack is not None else None,
        resolved_at=created + resolved if resolved is not None else None,
        closed_at=created + closed if closed is not None else None,
        first_response_due=created + respond_within, resolution_due=created + resolve_within,
        rating=rating, reject_reason=reject_reason, **extra,
    )
    uow.tickets.add(t)
    await uow.flush()
    return t
