"""Flow fixtures: the demo org imported, people joined through the chat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import seed_policies
from services.accounts import create_invite
from services.org_import import import_org, load_org_file
from storage.clock import FrozenClock
from storage.models import (
    ConversationState,
    Notification,
    Residency,
    Role,
    RoleGrant,
    Ticket,
    TicketEvent,
)
from tests.flows.harness import Harness

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"


@pytest.fixture
async def h(engine: AsyncEngine, clock: FrozenClock) -> Harness:
    harness = Harness(engine, clock)
    await seed_policies(harness.core.uow_factory)
    async with harness.core.uow_factory() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    return harness


async def join_staff(h: Harness, name: str, role: str, org: str) -> None:
    """A worker joins through a single-use invite deep link."""
    async with h.core.uow_factory() as uow:
        inv = await create_invite(uow, role=Role(role), org_code=org, days=7)
        await uow.commit()
    await h.say(name, f"/start inv_{inv.code}")


async def join_resident(h: Harness, name: str, compound: str, unit: str | None = None) -> None:
    await h.say(name, f"/start c_{compound}")
    if unit:
        await h.say(name, unit)


async def report(h: Harness, name: str, category: str, text: str, *, photos: tuple[str, ...] = ()) -> str:
    """Walk the report flow; returns the bot's final reply text."""
    await h.say(name, "/report")
    await h.press(name, f"rp:c:{category}")
    await h.say(name, text)
    for p in photos:
        await h.say(name, None, photos=(p,))
    await h.press(name, "rp:done")
    await h.press(name, "rp:noloc")
    await h.press(name, "rp:submit")
    return h.last(name).text


async def snapshot(h: Harness) -> dict[str, Any]:
    """Everything a bad input must leave unchanged."""
    out: dict[str, Any] = {}
    async with h.core.uow_factory() as uow:
        s = uow.session
        for model in (Ticket, TicketEvent, Notification, RoleGrant, Residency):
            out[model.__name__] = (await s.execute(select(func.count()).select_from(model))).scalar_one()
        tickets = (await s.execute(select(Ticket).order_by(Ticket.id))).scalars().all()  # type: ignore[arg-type]
        out["tickets"] = [(t.state, t.assignee_id, t.queue, t.rating, t.reopen_count) for t in tickets]
        states = (await s.execute(select(ConversationState))).scalars().all()
        out["states"] = sorted((c.account_id, c.step, str(sorted(c.data.items()))) for c in states)
    return out


async def ticket_by_number(h: Harness, number: str) -> Ticket:
    async with h.core.uow_factory() as uow:
        t = await uow.tickets.by_number(number)
        assert t is not None
        return t
