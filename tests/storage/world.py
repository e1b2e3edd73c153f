"""A small world around compound XGY for the deadline and outbox tests: the demo org, one
person per role, and helpers to report, tick and read rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from services import tickets
from services.accounts import Identity, ensure_account, grant, join_compound
from services.org_import import import_org, load_org_file
from services.tick import TickReport, run_tick
from services.tickets import NewTicket
from storage.clock import FrozenClock
from storage.models import Account, Notification, Role, Ticket, TicketEvent
from storage.uow import UowFactory

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
SH = ZoneInfo("Asia/Shanghai")
STAFF_GROUP = "-1001000000001"  # YJWY's staff forum in the demo org


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@dataclass
class World:
    f: UowFactory
    clock: FrozenClock
    compound_id: int
    resident: Account
    staff: Account
    community: Account
    street: Account
    admin: Account

    async def report(self, category: str = "sanitation", text: str = "楼道堆满垃圾") -> int:
        async with self.f() as uow:
            t = await tickets.create_ticket(uow, self.resident, NewTicket(self.compound_id, category, text))
            await uow.commit()
        assert t.id is not None
        return t.id

    async def ticket(self, ticket_id: int) -> Ticket:
        async with self.f() as uow:
            t = await uow.tickets.get(ticket_id)
            assert t is not None
            uow.session.expunge(t)
            return t

    async def tick_at(self, when: datetime) -> TickReport:
        self.clock.set(when)
        return await run_tick(self.f)

    async def rows(self, kind: str, account: Account | None = None) -> list[Notification]:
        async with self.f() as uow:
            q = select(Notification).where(Notification.kind == kind).order_by(col(Notification.id))
            if account is not None:
                q = q.where(Notification.account_id == account.id)
            rows = list((await uow.session.execute(q)).scalars().all())
            uow.session.expunge_all()
            return rows

    async def events(self, ticket_id: int, kind: str) -> list[TicketEvent]:
        async with self.f() as uow:
            events = [e for e in await uow.tickets.events(ticket_id) if e.kind == kind]
            uow.session.expunge_all()
            return events


async def make_world(f: UowFactory, clock: FrozenClock) -> World:
    """The demo org, and one person per role around compound XGY (兴谷园小区, YJWY)."""
    async with f() as uow:
        await import_org(uow, load_org_file(DEMO))
        people = {}
        for n, (name, role, org) in enumerate(
            [
                ("resident", Role.resident, "XGY"),
                ("staff", Role.staff, "YJWY"),
                ("community", Role.community, "BH-XY"),
                ("street", Role.street, "BH"),
                ("admin", Role.admin, "PG"),
            ]
        ):
            acc = await ensure_account(uow, Identity("telegram", str(500 + n), str(500 + n), name))
            if role == Role.resident:
                await join_compound(uow, acc, org)
            else:
                node = await uow.org.by_code(org)
                assert node is not None
                await grant(uow, acc, role, node)
            people[name] = acc
        compound = await uow.org.by_code("XGY")
        assert compound is not None and compound.id is not None
        await uow.commit()
    return World(f, clock, compound.id, **people)
