"""People around compound XGY (兴谷园, community BH-XY, street BH) for the whistle tests:
a resident with a ticket, the community worker, the street officer, a member of each of the
street's two departments and one of the district's 住建委."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from services import tickets
from services.accounts import Identity, ensure_account, grant, join_compound
from services.org_import import import_org, load_org_file
from services.tickets import NewTicket
from services.whistle import Target
from storage.clock import FrozenClock
from storage.models import Account, Role
from storage.uow import UowFactory
from tests.storage.world import DEMO


@dataclass
class WhistleWorld:
    f: UowFactory
    clock: FrozenClock
    resident: Account
    community: Account
    street: Account
    cg: Account  # 滨河街道城管执法队
    wyb: Account  # 滨河街道物业管理办公室
    zjw: Account  # 区住建委
    dept: dict[str, int]
    ticket_id: int

    @property
    def target(self) -> Target:
        return Target(self.compound_id, ticket_id=self.ticket_id)

    compound_id: int = 0

    async def rows(self, model: Any) -> list[Any]:
        async with self.f() as uow:
            rows = list((await uow.session.execute(select(model).order_by(col(model.id)))).scalars().all())
            uow.session.expunge_all()
            return rows

    def later(self, minutes: int) -> None:
        self.clock.set(self.clock.now() + timedelta(minutes=minutes))


async def build(f: UowFactory, clock: FrozenClock) -> WhistleWorld:
    async with f() as uow:
        await import_org(uow, load_org_file(DEMO))
        people: dict[str, Account] = {}
        for n, (key, role, code) in enumerate(
            [
                ("community", Role.community, "BH-XY"),
                ("street", Role.street, "BH"),
                ("cg", Role.department, "BH-CG"),
                ("wyb", Role.department, "BH-WYB"),
                ("zjw", Role.department, "PG-ZJW"),
            ]
        ):
            acc = await ensure_account(uow, Identity("telegram", str(900 + n), str(900 + n), key))
            org = await uow.org.by_code(code)
            assert org is not None
            await grant(uow, acc, role, org)
            people[key] = acc
        resident = await ensure_account(uow, Identity("telegram", "950", "950", "resident"))
        compound = await join_compound(uow, resident, "XGY")
        assert compound.id is not None
        t = await tickets.create_ticket(uow, resident, NewTicket(compound.id, "fire_lane", "消防通道被堵"))
        dept = {}
        for code in ("BH-CG", "BH-WYB", "PG-ZJW", "XG-CG"):
            node = await uow.org.by_code(code)
            assert node is not None and node.id is not None
            dept[code] = node.id
        await uow.commit()
    assert t.id is not None
    return WhistleWorld(
        f,
        clock,
        resident,
        people["community"],
        people["street"],
        people["cg"],
        people["wyb"],
        people["zjw"],
        dept,
        t.id,
        compound.id,
    )
