"""/stats in chat: rates of the person's scope, switching quarters; residents refused; the
quarterly ranking notification with its rectification buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.ranking import send_quarter_ranking
from storage.models import Source, TicketState
from tests.flows.conftest import join_resident, join_staff, report, snapshot
from tests.flows.harness import Harness
from tests.storage.ticket_seed import add_ticket

S = TicketState
H = timedelta(hours=1)
D = timedelta(days=1)
M = timedelta(minutes=1)
NOV = datetime(2026, 11, 2, 2, tzinfo=UTC)
AUG = datetime(2026, 8, 3, 2, tzinfo=UTC)


async def seed(h: Harness) -> None:
    async with h.core.uow_factory() as uow:
        # 2026Q4 宜居物业: 1 on time 满意, 1 late answer 基本满意, 1 open, 1 invalid
        await add_ticket(uow, "XGY", NOV, state=S.closed, ack=H, resolved=5 * H, closed=D, rating=5)
        await add_ticket(uow, "XGY", NOV, state=S.closed, ack=3 * H, resolved=5 * H, closed=D, rating=3)
        await add_ticket(uow, "LHY", NOV, state=S.in_progress, ack=H)
        await add_ticket(uow, "LHY", NOV, state=S.rejected, closed=H, reject_reason="invalid")
        # 2026Q3: one resolved ticket, not rated; hotline complaints for the ranking
        await add_ticket(uow, "XGY", AUG, state=S.closed, ack=H, resolved=H, closed=D)
        for i in range(3):
            await add_ticket(uow, "JGJY", AUG + i * D, source=Source.hotline)
        await uow.commit()


async def test_manager_sees_company_rates_and_switches_quarter(h: Harness) -> None:
    await join_staff(h, "zhou", "manager", "YJWY")
    await seed(h)
    await h.say("zhou", "/stats")
    shown = h.last("zhou")
    text = shown.text
    assert text.startswith("📊 宜居物业服务有限公司 工单统计")
    q4, q3 = text.split("【2026Q4】")[1].split("【2026Q3】")
    assert "收到 4 件，有效 3 件" in q4
    # response 3/4, resolution 2/3, satisfaction (1 + 0.9) / 2, score 10×0.75 + 50×0.667 + 40×0.95
    assert "响应率 75.0% · 解决率 66.7% · 满意率 95.0%" in q4
    assert "综合得分 78.8" in q4 and "物业服务规范到位率 33.3%" in q4 and "阶段性" in q4
    assert "收到 1 件，有效 1 件" in q3 and "满意率 —" in q3 and "综合得分 —" in q3
    assert [label for label, _ in shown.buttons] == ["◀ 2026Q3"]  # no later quarter yet
    await h.press("zhou", shown.data_for("2026Q3"))
    edited = h.last("zhou")
    assert edited.message_id == shown.message_id  # edited in place
    assert "【2026Q3】" in edited.text and "【2026Q2】" in edited.text and "【2026Q4】" not in edited.text
    assert "收到 0 件，有效 0 件" in edited.text and "响应率 — · 解决率 —" in edited.text
    assert [label for label, _ in edited.buttons] == ["◀ 2026Q2", "2026Q4 ▶"]


async def test_street_and_community_scopes(h: Harness) -> None:
    await join_staff(h, "he", "street", "BH")
    await join_staff(h, "ma", "community", "BH-TY")
    await seed(h)
    await h.say("he", "/stats")
    assert h.last("he").text.startswith("📊 滨河街道 工单统计") and "收到 4 件" in h.last("he").text
    assert "物业服务规范到位率" not in h.last("he").text
    await h.say("ma", "/stats")
    assert h.last("ma").text.startswith("📊 桃园社区 工单统计") and "收到 0 件" in h.last("ma").text


async def test_resident_is_refused_and_foreign_scope_buttons_too(h: Harness) -> None:
    await join_resident(h, "wang", "XGY", "1-1-101")
    await join_staff(h, "zhou", "manager", "YJWY")
    await seed(h)
    before = await snapshot(h)
    await h.say("wang", "/stats")
    assert h.last("wang").text == "统计仅供物业、社区、街道工作人员和管理员查看。"
    async with h.core.uow_factory() as uow:
        district, company = await uow.org.by_code("PG"), await uow.org.by_code("YJWY")
        assert district is not None and company is not None
    text, alert = await h.press("zhou", f"st:{district.id}:2026Q3")
    assert alert and text == "统计仅供物业、社区、街道工作人员和管理员查看。"
    text, alert = await h.press("zhou", f"st:{company.id}:2026Q9")
    assert alert and text is not None and "2026Q9" in text
    assert await snapshot(h) == before


async def test_ranking_notice_lists_compounds_with_plan_buttons(h: Harness) -> None:
    await join_staff(h, "he", "street", "BH")
    await join_staff(h, "lin", "admin", "PG")
    await seed(h)
    async with h.core.uow_factory() as uow:
        assert await send_quarter_ranking(uow, "2026Q3") == 2
        await uow.commit()
        jgjy = await uow.org.by_code("JGJY")
        assert jgjy is not None
    while await h.sender.drain_once():
        pass
    for name in ("he", "lin"):
        notice = h.last(name)
        assert notice.text.splitlines()[:2] == [
            "📋 平谷区 2026Q3 12345 热线诉求量排名（前 10 名，至少 3 件才参与排名）：",
            "1. 金谷嘉园（JGJY）：3 件",
        ]
        assert notice.buttons == [("整改方案：金谷嘉园", f"rx:open:{jgjy.id}:2026Q3")]
    async with h.core.uow_factory() as uow:
        assert await send_quarter_ranking(uow, "2026Q2") == 2
        await uow.commit()
    while await h.sender.drain_once():
        pass
    assert h.last("he").text == "平谷区 2026Q2 没有小区的热线诉求达到 3 件，本季度不排名。"


async def test_a_minute_after_the_first_report_nothing_shows_as_failed(h: Harness) -> None:
    await join_resident(h, "wang", "XGY", "1-1-101")
    await join_staff(h, "zhou", "manager", "YJWY")
    await report(h, "wang", "leak", "厨房水管漏水")
    h.clock.advance(M)
    await h.say("zhou", "/stats")
    q4 = h.last("zhou").text.split("【2026Q4】")[1].split("【2026Q3】")[0]
    assert "收到 1 件，有效 1 件" in q4
    # no 0.0 %: nothing is due yet, and the pending ticket is named beside each rate
    assert "响应率 —（另有 1 件未到时限） · 解决率 —（另有 1 件未到时限）" in q4
    assert "0.0%" not in q4 and "物业以“不属本单位职责”转交社区 0 件" in q4
