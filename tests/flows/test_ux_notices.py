"""Issue 11, no notification floods: an overdue or escalation notice is one line pointing at
the card; notices due for one person in the same tick come as one message; a hotline import
of several orders gives each person at most one summary."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.hotline import import_orders
from services.tick import run_tick
from tests.flows.conftest import join_resident, join_staff, report
from tests.flows.harness import Harness

SH = ZoneInfo("Asia/Shanghai")
ORDERS = "order_no,received_at,address,compound_code,category,content,caller_phone\n" + "".join(
    f"GD20261121{i:05d},2026-11-21 0{i}:00,,{code},{cat},{text},1381234567{i}\n"
    for i, (code, cat, text) in enumerate(
        [
            ("XGY", "漏水", "楼上漏水"),
            ("XGY", "下水", "下水道堵塞"),
            ("LHY", "漏水", "厨房顶棚渗水"),
            ("XGY", "噪音扰民", "夜间装修噪音"),
            ("LHY", "噪音扰民", "广场舞噪音"),
        ],
        start=1,
    )
)


async def _tick_at(h: Harness, when: datetime) -> None:
    h.clock.set(when)
    await run_tick(h.core.uow_factory)
    while await h.sender.drain_once():
        pass


async def test_one_overdue_notice_is_one_line_that_opens_the_card(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await report(h, "li", "leak", "卫生间漏水", photos=("P1",))  # Wed 10:00, first response by 12:00
    before = len(h.seen("wang"))
    await _tick_at(h, datetime(2026, 11, 25, 12, 5, tzinfo=SH))
    new = h.seen("wang")[before:]
    assert [m.key for m in new] == ["deadline-overdue"]  # no second copy of the card
    assert "\n" not in new[0].text and new[0].button_keys == ["btn-open-ticket"]
    await h.press("wang", new[0].buttons[0][1], message_id=new[0].message_id)
    assert h.last("wang").key == "ticket-card" and "btn-ack" in h.last("wang").button_keys


async def test_notices_due_in_one_tick_come_as_one_message(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")
    numbers = [
        (await report(h, "li", "leak", "卫生间漏水")).split("工单号 ")[1][:14],
        (await report(h, "li", "drain", "下水道堵了")).split("工单号 ")[1][:14],
    ]
    seen = {who: len(h.seen(who)) for who in ("wang", "zhao")}
    await _tick_at(h, datetime(2026, 11, 25, 12, 5, tzinfo=SH))  # both overdue, both escalated
    for who in ("wang", "zhao"):
        new = h.seen(who)[seen[who] :]
        assert [m.key for m in new] == ["notice-bundle"], who
        assert all(n in new[0].text for n in numbers)
        assert new[0].button_keys == ["btn-open-ticket", "btn-open-ticket"]


async def test_a_hotline_import_gives_each_person_one_summary(h: Harness) -> None:
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")
    seen = {who: len(h.seen(who)) for who in ("wang", "zhao")}
    h.clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=SH))
    async with h.core.uow_factory() as uow:
        result = await import_orders(uow, ORDERS)
        await uow.commit()
    assert len(result.created) == 5
    while await h.sender.drain_once():
        pass
    new = h.seen("wang")[seen["wang"] :]
    assert [m.key for m in new] == ["notice-bundle"]  # three orders for 宜居物业
    assert new[0].text.count("PG-2026-") == 3
    new = h.seen("zhao")[seen["zhao"] :]
    assert [m.key for m in new] == ["notice-bundle"]  # two noise orders for the community
    assert new[0].text.count("PG-2026-") == 2
