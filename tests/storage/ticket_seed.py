"""Tickets written straight into the table with exact times and outcomes, for the reporting
tests (metrics, ranking, export): the demo org, and one call per ticket."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from services.org_import import import_org, load_org_file
from storage.models import Priority, Queue, Source, Ticket, TicketEvent, TicketState
from storage.uow import UnitOfWork, UowFactory

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
_numbers = itertools.count(1)


async def demo_org(uow_factory: UowFactory) -> dict[str, int]:
    """Import the demo org; returns org ids by code."""
    async with uow_factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
        return {n.code: n.id for n in await uow.org.all() if n.id is not None}


async def add_ticket(
    uow: UnitOfWork,
    compound: str,
    created: datetime,
    *,
    category: str = "leak",
    state: TicketState = TicketState.new,
    ack: timedelta | None = None,
    resolved: timedelta | None = None,
    closed: timedelta | None = None,
    rating: int | None = None,
    reject_reason: str | None = None,
    source: Source = Source.chat,
    respond_within: timedelta = timedelta(hours=2),
    resolve_within: timedelta = timedelta(days=1),
    **extra: Any,
) -> Ticket:
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
        number=f"T-{next(_numbers):06d}",
        compound_id=node.id,
        category=category,
        priority=Priority.urgent,
        description=extra.pop("description", "漏水"),
        queue=queue,
        queue_org_id=queue_org,
        state=state,
        source=source,
        created_at=created,
        updated_at=created,
        acknowledged_at=created + ack if ack is not None else None,
        resolved_at=created + resolved if resolved is not None else None,
        closed_at=created + closed if closed is not None else None,
        first_response_due=created + respond_within,
        resolution_due=created + resolve_within,
        rating=rating,
        reject_reason=reject_reason,
        **extra,
    )
    uow.tickets.add(t)
    await uow.flush()
    return t


async def add_event(uow: UnitOfWork, ticket: Ticket, kind: str, at: datetime, **data: Any) -> TicketEvent:
    """One event of ``ticket`` at ``at`` (kind strings as services/tickets.py records them)."""
    assert ticket.id is not None
    ev = TicketEvent(ticket_id=ticket.id, at=at, kind=kind, data=data)
    uow.tickets.add(ev)
    await uow.flush()
    return ev


async def add_rerouted(
    uow: UnitOfWork,
    compound: str,
    created: datetime,
    *,
    acknowledged: timedelta,
    rerouted: timedelta,
    answered: timedelta | None = None,
    from_code: str | None = None,
    respond_within: timedelta = timedelta(hours=2),
    resolve_within: timedelta = timedelta(days=30),
) -> Ticket:
    """A ticket the property company acknowledged (``acknowledged`` after ``created``) and then
    passed to the community as "not responsible" (``rerouted``); the community answers
    ``answered`` after creation, or never. The first response restarts at the re-route, as
    services/deadlines.py computes it; the acknowledgement time stays on the ticket. Old
    events carry no ``from`` (``from_code`` None)."""
    node = await uow.org.by_code(compound)
    assert node is not None
    answer_at = created + answered if answered is not None else None
    t = await add_ticket(
        uow,
        compound,
        created,
        queue=Queue.community,
        state=TicketState.new if answered is None else TicketState.acknowledged,
        ack=acknowledged,
        reject_reason="not_responsible",
        respond_within=rerouted + respond_within,
        resolve_within=rerouted + resolve_within,
    )
    await add_event(uow, t, "created", created)
    await add_event(uow, t, "acknowledged", created + acknowledged)
    community = await uow.org.get(node.parent_id or 0)
    assert community is not None
    data: dict[str, Any] = {"reason": "not_responsible", "to": community.code}
    if from_code is not None:
        data["from"] = from_code
    await add_event(uow, t, "rerouted", created + rerouted, **data)
    if answer_at is not None:
        await add_event(uow, t, "acknowledged", answer_at)
    return t
