"""维修资金 in chat: a district emergency-fund application from notice to settlement, each
step by its role and told to the owners; over the balance refused; an ordinary application
needs a passed owners' decision; the funds report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from services import duty_tick
from services.funds_report import fund_rows
from services.periods import parse_period
from storage.models import AggregateEvent, EmergencyFund, FundApplication
from tests.flows.conftest import join_staff
from tests.flows.harness import Harness
from tests.flows.test_matters import owners_of_t1


async def count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def tick(h: Harness) -> None:
    await duty_tick.run(h.core.uow_factory)
    while await h.sender.drain_once():
        pass


async def test_an_emergency_fund_application_from_notice_to_settlement(h: Harness, tmp_path: Path) -> None:
    await owners_of_t1(h, tmp_path)
    await join_staff(h, "区管理员", "admin", "TD")
    await join_staff(h, "社区", "community", "TC")
    # only the district admin sets the balance
    await h.say("委员", "/emergencyfund TD 100000")
    assert h.last("委员").key == "error-fund-not-allowed" and await count(h, EmergencyFund) == 0
    await h.say("区管理员", "/emergencyfund TD 100000")
    assert "¥100,000.00" in h.last("区管理员").text
    # over the balance: refused, nothing stored
    await h.say("委员", "/newfund")
    await h.say("委员", "T1; 1号楼屋面防水; 200000; 区应急")
    assert h.last("委员").key == "error-fund-over-balance" and await count(h, FundApplication) == 0
    await h.say("委员", "T1; 1号楼屋面防水; 86000; 区应急", photos=("quote-1",))
    assert "¥86,000.00" in h.last("委员").text and "报价 1 份" in h.last("委员").text
    # a resident may not submit it
    assert (await h.press("甲", "fd:do:1:submit"))[0] is not None
    await h.press("委员", h.last("委员").data_for("提交公示"))
    assert "维修资金申请进展" in h.last("甲").text and "公示中" in h.last("甲").text
    # the emergency notice (3 days) runs out: the tick moves it on; the community approves
    h.clock.set(h.clock.now() + timedelta(days=3, seconds=1))
    await tick(h)
    assert "待决定/审核" in h.last("丙").text
    before = await count(h, AggregateEvent)
    assert (await h.press("甲", "fd:do:1:approve"))[0] is not None
    assert (await h.press("委员", "fd:do:1:approve"))[0] is not None
    assert await count(h, AggregateEvent) == before
    await h.press("社区", "fd:do:1:approve")
    await h.press("委员", "fd:do:1:start_works")
    assert (await h.press("甲", "fd:do:1:accept"))[0] is not None
    await h.press("委员", "fd:do:1:accept")
    assert "已验收" in h.last("丁").text
    # the community may not settle; the district admin settles with the actual cost
    assert (await h.press("社区", "fd:settle:1"))[0] is not None
    await h.press("区管理员", "fd:settle:1")
    await h.say("区管理员", "八万")
    assert h.last("区管理员").key == "error-bad-amount"
    await h.say("区管理员", "84500.50")
    assert "实际费用：¥84,500.50" in h.last("区管理员").text
    assert "区应急维修资金余额：¥15,499.50" in h.last("甲").text and "已结算" in h.last("甲").text
    async with h.core.uow_factory() as uow:
        kinds = [e.kind for e in await uow.aggregates.events("fund", 1)]
        rows = await fund_rows(uow, parse_period("2026Q4"), "Asia/Shanghai")
    assert kinds == [
        "drafted",
        "submitted",
        "notice_ended",
        "approved",
        "works_started",
        "accepted",
        "settled",
    ]
    [compound, district] = [r for r in rows if r.code in ("T1", "TD")]
    assert (compound.count, compound.applied_fen, compound.settled_fen) == (1, 8600000, 8450050)
    assert (district.balance_fen, district.median_days) == (1549950, 3.0)


async def test_an_ordinary_application_needs_a_passed_decision(h: Harness, tmp_path: Path) -> None:
    await owners_of_t1(h, tmp_path)
    await join_staff(h, "社区", "community", "TC")
    await h.say("委员", "/newfund")
    await h.say("委员", "T1; 更换水泵; 12000.5; 普通")
    await h.press("委员", "fd:do:1:submit")
    h.clock.set(h.clock.now() + timedelta(days=7, seconds=1))
    await tick(h)
    await h.press("社区", "fd:do:1:approve")
    assert h.channel.answer_log[-1][3] == "error-fund-needs-decision"
    # the owners decide (ordinary: > 1/2), the committee links the matter, then approval
    await h.say("委员", "/newmatter")
    await h.say("委员", "T1; 一般; 更换水泵; 使用维修资金; 2026-12-03; 2026-12-04")
    h.clock.set(datetime(2026, 12, 2, 16, 0, 1, tzinfo=UTC))
    await tick(h)
    for owner in ("甲", "丙", "丁"):
        await h.press(owner, "mt:vote:1:yes")
    h.clock.set(datetime(2026, 12, 4, 16, 0, 1, tzinfo=UTC))
    await tick(h)
    await h.press("委员", "mt:pub:1")
    await h.press("委员", "fd:view:1")
    await h.press("委员", h.last("委员").data_for("关联业主决定"))
    await h.press("社区", "fd:do:1:approve")
    async with h.core.uow_factory() as uow:
        a = await uow.aggregates.get(FundApplication, 1)
        assert a is not None and a.state == "approved" and a.matter_id == 1
