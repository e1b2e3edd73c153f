"""Item 1 of issue 10: a single-use invite redeemed by two people at the same moment, in two
real transactions on two connections. Exactly one gets the role; the other is told the
invite was used."""

from __future__ import annotations

import asyncio

from sqlmodel import func, select

from services.accounts import Identity, create_invite, ensure_account, redeem_invite
from services.errors import DomainError
from services.org_import import import_org, load_org_file
from storage.clock import FrozenClock
from storage.models import Account, Role, RoleGrant
from storage.uow import UowFactory
from tests.storage.world import DEMO

ROUNDS = 5


async def _people(f: UowFactory, n: int) -> tuple[Account, Account]:
    async with f() as uow:
        a = await ensure_account(uow, Identity("telegram", f"7{n}1", f"7{n}1", "a"))
        b = await ensure_account(uow, Identity("telegram", f"7{n}2", f"7{n}2", "b"))
        await uow.commit()
    return a, b


async def _managers(f: UowFactory) -> int:
    async with f() as uow:
        q = select(func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.manager)
        return int((await uow.session.execute(q)).scalar_one())


async def test_two_people_redeem_one_invite_at_once(uow_factory: UowFactory, clock: FrozenClock) -> None:
    f = uow_factory
    async with f() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    for n in range(ROUNDS):
        a, b = await _people(f, n)
        async with f() as uow:
            code = (await create_invite(uow, role=Role.manager, org_code="YJWY", days=7)).code
            await uow.commit()
        ready = asyncio.Barrier(2)

        async def one(who: Account, code: str = code, ready: asyncio.Barrier = ready) -> str:
            try:
                async with f() as uow:
                    await uow.accounts.invite(code)  # both have read the unused invite
                    if uow.session.get_bind().dialect.name == "postgresql":
                        await ready.wait()
                    acc = await uow.accounts.get(who.id or 0)
                    assert acc is not None
                    await redeem_invite(uow, acc, code)
                    await uow.commit()
                    return "ok"
            except DomainError as err:
                return err.code

        got = await asyncio.gather(one(a), one(b))
        assert sorted(got) == ["invite_used", "ok"], got
        # one role per round, to whoever won, and the invite names the winner
        assert await _managers(f) == n + 1
        async with f() as uow:
            inv = await uow.accounts.invite(code)
            assert inv is not None and inv.used_by in (a.id, b.id)
            winner = a if got[0] == "ok" else b
            assert inv.used_by == winner.id
