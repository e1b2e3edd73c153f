"""Shared by the digest and rectification tests: the demo org, people with one role each,
and tickets written straight into the table with exact times."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from services.accounts import Identity, ensure_account, grant, join_compound
from storage.models import Priority, Queue, Role, Ticket, TicketState
from storage.uow import UnitOfWork, UowFactory
from tests.storage.ticket_seed import demo_org

_numbers = itertools.count(1)


seed_org = demo_org  # the demo org imported; org ids by code


async def person(f: UowFactory, name: str, role: Role, org: str) -> int:
    async with f() as uow:
        acc = await ensure_account(uow, Identity("telegram", name, f"chat-{name}", name))
        if role == Role.resident:
            await join_compound(uow, acc, org)
        else:
            node = await uow.org.by_code(org)
            assert node is not None
            await grant(uow, acc, role, node)
        await uow.commit()
        assert acc.id is not None
        return acc.id


def add(
    uow: UnitOfWork,
    orgs: dict[str, int],
    compound: str,
    category: str,
    created: datetime,
    state: TicketState = TicketState.new,
    *,
    queue: str = "property",
    **extra: Any,
) -> Ticket:
    queue_org = (
        {"XGY": "YJWY", "LHY": "YJWY", "TYXC": "BH-TY"}[compound]
        if queue == "property"
        else {"XGY": "BH-XY", "LHY": "BH-XY", "TYXC": "BH-TY"}[compound]
    )
    t = Ticket(
        number=f"PG-2026-{next(_numbers):06d}",
        compound_id=orgs[compound],
        category=category,
        priority=Priority.normal,
        description="seeded",
        queue=Queue(queue),
        queue_org_id=orgs[queue_org],
        state=state,
        created_at=created,
        updated_at=created,
        **extra,
    )
    uow.session.add(t)
    return t
