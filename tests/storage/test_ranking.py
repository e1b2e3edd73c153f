"""Quarterly hotline ranking: ties, minimum count, the top-N cut, notifications written once,
and the schedule (first working day after the quarter)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.calendar import BusinessCalendar
from services.ranking import (
    due_quarter_rankings,
    quarterly_ranking,
    run_scheduled,
    send_quarter_ranking,
)
from storage.clock import FrozenClock
from storage.models import (
    Account,
    ChannelIdentity,
    Notification,
    Role,
    RoleGrant,
    Source,
    TicketState,
)
from storage.uow import UowFactory
from tests.storage.ticket_seed import add_ticket, demo_org

AUG = datetime(2026, 8, 10, 2, tzinfo=UTC)
HOTLINE = Source.hotline


async def seed(uow_factory: UowFactory) -> dict[str, int]:
    ids = await demo_org(uow_factory)
    async with uow_factory() as uow:
        for code, n in (("XGY", 5), ("LHY", 5), ("TYXC", 4), ("JGJY", 3), ("FJY", 2)):
            for i in range(n):
                await add_ticket(uow, code, AUG + timedelta(days=i), source=HOTLINE)
        # not counted: chat tickets, a hotline order rejected as invalid, another quarter
        for _ in range(3):
            await add_ticket(uow, "FJY", AUG, source=Source.chat)
        await add_ticket(uow, "FJY", AUG, source=HOTLINE, state=TicketState.rejected, reject_reason="invalid")
        await add_ticket(
            uow, "JGJY", AUG, source=HOTLINE, state=TicketState.rejected, reject_reason="duplicate"
        )
        await add_ticket(uow, "FJY", datetime(2026, 10, 2, tzinfo=UTC), source=HOTLINE)
        await uow.commit()
    return ids


async def person(uow_factory: UowFactory, name: str, role: Role, org_id: int) -> int:
    async with uow_factory() as uow:
        acc = Account(display_name=name, created_at=uow.clock.now())
        uow.accounts.add(acc)
        await uow.flush()
        assert acc.id is not None
        uow.accounts.add(
            ChannelIdentity(account_id=acc.id, channel="telegram", external_id=name, chat_id=name)
        )
        uow.accounts.add(RoleGrant(account_id=acc.id, role=role, org_id=org_id))
        await uow.commit()
        return acc.id


async def test_ties_share_a_rank_and_small_samples_do_not_rank(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    async with uow_factory() as uow:
        rows = await quarterly_ranking(uow, ids["PG"], "2026Q3")
        top2 = await quarterly_ranking(uow, ids["PG"], "2026Q3", top=2)
        top3 = await quarterly_ranking(uow, ids["PG"], "2026Q3", top=3)
        strict = await quarterly_ranking(uow, ids["PG"], "2026Q3", min_count=4)
        q4 = await quarterly_ranking(uow, ids["PG"], "2026Q4", min_count=1)
    assert [(r.rank, r.code, r.count) for r in rows] == [
        (1, "LHY", 5),
        (1, "XGY", 5),
        (3, "TYXC", 4),
        (4, "JGJY", 3),
    ]
    assert rows[0].name == "柳河苑" and rows[0].compound_id == ids["LHY"]
    assert [r.code for r in top2] == ["LHY", "XGY"]
    assert [r.code for r in top3] == ["LHY", "XGY", "TYXC"]
    assert [r.code for r in strict] == ["LHY", "XGY", "TYXC"]
    assert [(r.code, r.count) for r in q4] == [("FJY", 1)]


async def test_ranking_is_sent_once_to_street_officers_and_admins(uow_factory: UowFactory) -> None:
    ids = await seed(uow_factory)
    bh = await person(uow_factory, "street_bh", Role.street, ids["BH"])
    xg = await person(uow_factory, "street_xg", Role.street, ids["XG"])
    admin = await person(uow_factory, "admin_pg", Role.admin, ids["PG"])
    await person(uow_factory, "community", Role.community, ids["BH-XY"])
    await person(uow_factory, "staff", Role.staff, ids["YJWY"])
    async with uow_factory() as uow:
        assert await send_quarter_ranking(uow, "2026Q3", top=2) == 3
        await uow.commit()
    async with uow_factory() as uow:
        assert await send_quarter_ranking(uow, "2026Q3", top=2) == 0
        await uow.commit()
        rows = (await uow.session.execute(select(Notification))).scalars().all()
    assert sorted(n.account_id for n in rows) == sorted([bh, xg, admin])
    assert {n.kind for n in rows} == {"ranking"} and all(n.ticket_id is None for n in rows)
    p = rows[0].payload
    assert (p["quarter"], p["district"], p["top"], p["min_count"]) == ("2026Q3", "平谷区", 2, 3)
    assert [(r["rank"], r["code"], r["count"]) for r in p["rows"]] == [(1, "LHY", 5), (1, "XGY", 5)]


def test_due_from_the_first_working_day_after_the_quarter() -> None:
    cal = BusinessCalendar("Asia/Shanghai", holidays=frozenset({date(2027, 1, 1)}))

    def at(y: int, m: int, d: int, hour: int, minute: int = 0) -> datetime:  # Beijing time
        return datetime(y, m, d, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))

    # 1 July 2026 is a Wednesday: due from 08:30 that day
    assert due_quarter_rankings(at(2026, 7, 1, 8, 0), calendar=cal) is None
    assert due_quarter_rankings(at(2026, 7, 1, 9, 0), calendar=cal) == "2026Q2"
    # 1 January 2027 is a holiday, then a weekend: due on Monday 4 January, for 14 days
    assert due_quarter_rankings(at(2027, 1, 2, 10), calendar=cal) is None
    assert due_quarter_rankings(at(2027, 1, 4, 10), calendar=cal) == "2026Q4"
    assert due_quarter_rankings(at(2027, 1, 18, 8, 0), calendar=cal) == "2026Q4"
    assert due_quarter_rankings(at(2027, 1, 18, 9, 0), calendar=cal) is None
    assert due_quarter_rankings(at(2026, 11, 25, 10), calendar=cal) is None


async def test_run_scheduled_sends_last_quarter_once(uow_factory: UowFactory, clock: FrozenClock) -> None:
    ids = await seed(uow_factory)
    await person(uow_factory, "street_bh", Role.street, ids["BH"])
    async with uow_factory() as uow:
        assert await run_scheduled(uow) == 0  # 25 November: nothing due
    clock.set(datetime(2026, 10, 12, 2, tzinfo=UTC))  # Monday 12 October, 10:00
    async with uow_factory() as uow:
        assert await run_scheduled(uow) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert await run_scheduled(uow) == 0
        rows = (await uow.session.execute(select(Notification))).scalars().all()
    assert [n.payload["quarter"] for n in rows] == ["2026Q3"]
