"""Digests and rectification plans through the chat: /digest settings (with a bad time), a
scheduled digest arriving with its chart and worst-overdue buttons, a plan opened from a
ranking button, an item added and ticked, a resident refused."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from services import digest
from storage.models import DigestSubscription, OrgNode, RectificationItem
from tests.flows.conftest import join_resident, join_staff, report
from tests.flows.harness import Harness

SH = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n"


async def subscriptions(h: Harness) -> list[tuple[str, bool, str]]:
    async with h.core.uow_factory() as uow:
        rows = (await uow.session.execute(select(DigestSubscription))).scalars().all()
        return sorted((r.kind, r.enabled, r.local_time) for r in rows)


async def org_id(h: Harness, code: str) -> int:
    async with h.core.uow_factory() as uow:
        node = (await uow.session.execute(select(OrgNode).where(OrgNode.code == code))).scalars().one()
        assert node.id is not None
        return node.id


async def test_digest_settings_in_chat(h: Harness) -> None:
    await join_staff(h, "ma", "community", "BH-XY")
    await h.say("ma", "/digest")
    shown = h.last("ma")
    assert "每日简报（工作日）08:00：开启" in shown.text
    assert ("🔕 关闭", "dg:off") in shown.buttons and ("07:00", "dg:t:0700") in shown.buttons
    assert await subscriptions(h) == []  # showing the default stores nothing

    await h.say("ma", "/digest off")
    assert "已保存" in h.last("ma").text and "08:00：关闭" in h.last("ma").text
    assert await subscriptions(h) == [("daily", False, "08:00")]
    await h.say("ma", "/digest on")
    await h.say("ma", "/digest 7:30")
    assert "07:30：开启" in h.last("ma").text
    assert await subscriptions(h) == [("daily", True, "07:30")]

    await h.say("ma", "/digest 25:61")
    assert "无法识别时间“25:61”" in h.last("ma").text and "设置未改变" in h.last("ma").text
    assert await subscriptions(h) == [("daily", True, "07:30")]

    settings_id = [m for m in h.seen("ma") if ("09:00", "dg:t:0900") in m.buttons][-1].message_id
    await h.press("ma", "dg:t:0900")
    edited = next(m for m in h.seen("ma") if m.message_id == settings_id)  # edited in place
    assert "09:00：开启" in edited.text
    assert await subscriptions(h) == [("daily", True, "09:00")]

    await h.say("ma", "/digest now")
    now = h.last("ma")
    assert "兴谷园社区 · 每日简报（2026-11-24 09:00 至 2026-11-25 10:00）" in now.text
    assert now.files and now.files[0][1].startswith(PNG)

    await join_resident(h, "li", "XGY")
    await h.say("li", "/digest off")
    assert "仅供社区工作者" in h.last("li").text


async def test_scheduled_digest_has_chart_text_and_ticket_buttons(h: Harness) -> None:
    await join_staff(h, "ma", "community", "BH-XY")
    await join_staff(h, "wu", "manager", "YJWY")
    await h.say("wu", "/lang")
    await h.press("wu", "lang:en")
    await join_resident(h, "li", "XGY", "1-1-101")
    final = await report(h, "li", "noise", "楼上每天夜里装修，噪音很大")  # community queue
    found = re.search(r"PG-2026-\d{6}", final)
    assert found is not None
    number = found.group()
    # Friday 08:05: Thursday's digest moment to now; the first response was due Thursday 10:00
    h.clock.set(datetime(2026, 11, 27, 8, 5, tzinfo=SH))
    async with h.core.uow_factory() as uow:
        assert await digest.run_scheduled(uow) == 2
        await uow.commit()
    while await h.sender.drain_once():
        pass
    got = h.last("ma")
    assert "兴谷园社区 · 每日简报（2026-11-26 08:00 至 2026-11-27 08:00）" in got.text
    assert "新增 0 件 · 未办结 1 件 · 超时 1 件 · 已升级 0 件" in got.text
    assert "• 兴谷园小区：0 / 1 / 1 / 0" in got.text and "• 柳河苑：0 / 0 / 0 / 0" in got.text
    assert "• 噪音：0 / 1 / 1 / 0" in got.text
    assert "社区队列中尚无人接单：1 件" in got.text
    assert f"• {number} 兴谷园小区 · 噪音 · 已超时 22 小时 5 分钟" in got.text
    ((filename, png),) = got.files
    assert filename == "digest-2026-11-27.png" and png.startswith(PNG) and len(png) > 5000
    label, data = got.buttons[0]
    assert data.startswith("tk:view:") and label == f"查看 {number}"

    await h.press("ma", data)
    card = h.last("ma")
    assert number in card.text and any(d.startswith("tk:ack:") for _, d in card.buttons)

    english = h.last("wu")
    assert "daily digest" in english.text and "Open 0" not in english.text
    assert "New 0 · open 0 · overdue 0 · escalated 0" in english.text and english.files

    async with h.core.uow_factory() as uow:
        assert await digest.run_scheduled(uow) == 0  # once a day
        await uow.commit()


async def test_plan_opened_from_a_ranking_button_items_added_and_ticked(h: Harness) -> None:
    await join_staff(h, "ma", "community", "BH-XY")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "he", "street", "BH")
    await join_resident(h, "li", "XGY", "1-1-101")
    await report(h, "li", "noise", "楼上每天夜里装修，噪音很大")
    xgy = await org_id(h, "XGY")

    answer, _ = await h.press("ma", f"rx:open:{xgy}:2026Q4")  # as the ranking message offers
    assert answer == "已创建 2026Q4 整改方案"
    plan = h.last("ma")
    assert "兴谷园小区 2026Q4 专项整治方案" in plan.text and "【噪音】" in plan.text
    assert "已完成 0/0 项" in plan.text
    await h.press("ma", plan.data_for("添加整改事项"))
    await h.press("ma", h.last("ma").data_for("噪音"))
    assert "事项；负责单位代码或账号；截止日期" in h.last("ma").text

    await h.say("ma", "夜间施工噪音治理")
    assert "格式不对" in h.last("ma").text
    await h.say("ma", "夜间施工噪音治理；NOPE；2026-12-31")
    assert "找不到负责单位或账号“NOPE”" in h.last("ma").text
    async with h.core.uow_factory() as uow:
        assert (await uow.session.execute(select(RectificationItem))).scalars().all() == []
    await h.say("ma", "夜间施工噪音治理；YJWY；2026-12-31")
    assert "已添加整改事项“夜间施工噪音治理”" in h.seen("ma")[-2].text
    assert "⬜ 夜间施工噪音治理 — 宜居物业服务有限公司 — 截止 2026-12-31" in h.last("ma").text
    async with h.core.uow_factory() as uow:
        item = (await uow.session.execute(select(RectificationItem))).scalars().one()

    answer, alert = await h.press("li", f"rx:done:{item.id}")
    assert alert and answer == "您没有权限进行这项整改方案操作。"
    await h.say("li", "/plan")
    assert "没有权限" in h.last("li").text

    await h.say("wang", "/plan")
    listing = h.last("wang")
    assert "整改方案共 1 个" in listing.text
    await h.press("wang", listing.data_for("兴谷园小区 2026Q4（0/1）"))
    view = h.last("wang")
    assert ("➕ 添加整改事项", f"rx:add:{item.plan_id}") not in view.buttons  # owners tick, not add
    answer, alert = await h.press("wang", view.data_for("完成：夜间施工噪音治理"))
    assert answer == "✅ 已完成：夜间施工噪音治理" and not alert
    assert "✅ 夜间施工噪音治理" in h.last("wang").text and "已完成 1/1 项" in h.last("wang").text
    async with h.core.uow_factory() as uow:
        done = await uow.session.get(RectificationItem, item.id)
        assert done is not None and done.done_at is not None and done.done_by is not None

    answer, _ = await h.press("he", f"rx:open:{xgy}:2026Q4")
    assert answer == "打开 2026Q4 整改方案" and "已完成 1/1 项" in h.last("he").text
    answer, alert = await h.press("he", f"rx:open:{xgy}:2026Q9")
    assert alert and "2026Q9" in (answer or "")


async def test_item_reminders_and_escalation_reach_owners_and_the_street(h: Harness) -> None:
    from services import rectification

    await join_staff(h, "ma", "community", "BH-XY")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "he", "street", "BH")
    xgy = await org_id(h, "XGY")
    await h.press("ma", f"rx:open:{xgy}:2026Q4")
    await h.press("ma", h.last("ma").data_for("添加整改事项"))
    await h.press("ma", h.last("ma").data_for("其他"))
    await h.say("ma", "修复3号楼路灯；YJWY；2026-11-30")  # due at the end of Mon 30 Nov
    h.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=SH))
    async with h.core.uow_factory() as uow:
        assert await rectification.run_scheduled(uow) == 2  # the overdue notice, the escalation
        await uow.commit()
    while await h.sender.drain_once():
        pass
    overdue = h.last("wang")
    assert "整改事项“修复3号楼路灯”（兴谷园小区 2026Q4）已超过截止日期 2026-11-30" in overdue.text
    escalated = h.last("he")
    assert "已升级至街道（乡镇）" in escalated.text and "负责：宜居物业服务有限公司" in escalated.text
    await h.press("he", escalated.data_for("查看整改方案"))
    assert "❗ 修复3号楼路灯 — 宜居物业服务有限公司 — 截止 2026-11-30（已逾期）" in h.last("he").text
    answer, _ = await h.press("wang", overdue.data_for("完成：修复3号楼路灯"))
    assert answer == "✅ 已完成：修复3号楼路灯"
