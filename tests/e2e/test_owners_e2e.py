"""Owners decide and pay, end to end (aiogram runtime, fake Bot API, demo org's 兴谷园小区):
a special matter voted in chat with one changed vote and the tally posted; an emergency
application to the district fund from notice to settlement; a 六个一点 campaign with three
sources and its ledger. The real clock runs here, so "the window / the notice has ended" is
made true by moving the deadlines into the past, then the duty tick runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from sandbox.fakeapi import FakeBotApi
from services import duty_tick, periods
from storage.models import Duty, Matter
from tests.e2e.bot_driver import COMMUNITY, Driver, invite, prepare_db

OWNER1, OWNER2, COMMITTEE, ADMIN = 7101, 7102, 7103, 7104  # 王秀兰 2-1-101, 刘芳 1-1-501 (+1-1-502)


@pytest.fixture
async def owners(tmp_path: Path) -> AsyncIterator[Driver]:
    fake = FakeBotApi(limits=None)
    await fake.start()
    for uid, name in (
        (OWNER1, "王秀兰"),
        (OWNER2, "刘芳"),
        (COMMITTEE, "张建华"),
        (ADMIN, "林涛"),
        (COMMUNITY, "马丽"),
    ):
        fake.add_user(uid, name)
    db = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    await prepare_db(db)
    d = Driver(fake, db, "aiogram")
    await d.start()
    await d.say(COMMITTEE, f"/start inv_{await invite(db, 'committee', 'XGY')}", "已加入")
    await d.say(ADMIN, f"/start inv_{await invite(db, 'admin', 'PG')}", "已加入")
    await d.say(COMMUNITY, f"/start inv_{await invite(db, 'community', 'BH-XY')}", "已加入")
    for uid, unit in ((OWNER1, "2-1-101"), (OWNER2, "1-1-501")):
        await d.say(uid, "/start c_XGY", "欢迎加入")
        await d.say(uid, unit, "已登记")
    await d.say(COMMITTEE, "/owners XGY", "2 位住户待确认为业主")
    await d.tap(COMMITTEE, "王秀兰", "已确认")
    await d.tap(COMMITTEE, "刘芳", "已确认")
    yield d
    await d.stop()
    await fake.stop()
    assert fake.internal_errors == []


async def due_now(d: Driver, aggregate: str, *, matter: int | None = None) -> None:
    """Every open duty of the aggregate falls due now; then the tick runs."""
    assert d.runtime is not None and d.runtime.core is not None
    factory = d.runtime.core.uow_factory
    async with factory() as uow:
        now = uow.clock.now()
        day_ago = now - timedelta(days=1)
        if matter is not None:
            await uow.session.execute(update(Matter).where(Matter.id == matter).values(vote_until=now))  # type: ignore[arg-type]
        await uow.session.execute(
            update(Duty)
            .where(Duty.aggregate == aggregate, Duty.state == "open")  # type: ignore[arg-type]
            .values(started_at=day_ago, checked_at=day_ago, due_at=now, next_check_at=now, reminders=[])
        )
        await uow.commit()
    assert (await duty_tick.run(factory)).errors == 0


def today() -> str:
    from datetime import UTC, datetime

    return periods.local_date(datetime.now(UTC)).isoformat()


async def test_a_special_matter_voted_in_chat(owners: Driver) -> None:
    d = owners
    await d.say(COMMITTEE, "/newmatter", "事项类型")  # step by step; one compound: no compound step
    await d.tap(COMMITTEE, "特别事项", "标题（最多 200 字）")
    await d.say(COMMITTEE, "加装电梯", "给业主的说明")
    await d.say(COMMITTEE, "1号楼加装电梯", "表决开始日期")
    await d.say(COMMITTEE, today(), "表决结束日期")
    await d.say(COMMITTEE, today(), "公示开始日期")
    await d.tap(COMMITTEE, "跳过", "请核对新的共议事项")
    await d.tap(COMMITTEE, "提交", "已发起")
    await d.said(OWNER1, "新的共议事项公示")
    await due_now(d, "matter")  # the first day has come: voting opens
    await d.said(OWNER1, "表决已开始")
    await d.said(OWNER2, "表决已开始")
    await d.tap(OWNER1, "同意", "您的选择：同意")
    await d.tap(OWNER2, "反对", "您的选择：反对")
    await d.tap(OWNER2, "同意", "您的选择：同意")  # 刘芳 changes her vote
    await due_now(d, "matter", matter=1)  # the window ends: the tick closes and tallies
    await d.said(COMMITTEE, "请在规定时间内公布结果")
    await d.tap(COMMITTEE, "公布结果", "结果已公布")
    # 刘芳's two units are one owner; the developer's two units one more: 34 owners, 3223.20 m²
    result = await d.said(OWNER2, "表决结果公布")
    assert "参与：268.60 / 3223.20 ㎡，2 / 34 人" in result["text"]
    assert "同意：268.60 ㎡，2 人" in result["text"] and "未通过" in result["text"]
    assert "北京市业主电子投票系统" in result["text"]


async def test_an_emergency_fund_application_from_notice_to_settlement(owners: Driver) -> None:
    d = owners
    await d.say(ADMIN, "/emergencyfund PG 100000", "¥100,000.00")
    await d.say(COMMITTEE, "/newfund", "工程内容")  # the one-line form is still taken
    await d.say(COMMITTEE, "XGY; 2号楼屋面防水; 50000; 区应急", "草稿已保存")
    await d.tap(COMMITTEE, "提交公示", "公示中")
    await d.said(OWNER1, "公示中")
    await due_now(d, "fund")  # the 3-day emergency notice has run
    await d.said(COMMUNITY, "待决定/审核")
    await d.tap(COMMUNITY, "批准", "已批准")
    await d.said(OWNER2, "已批准")
    await d.said(COMMITTEE, "已批准")
    await d.tap(COMMITTEE, "开始施工", "施工中")
    await d.tap(COMMITTEE, "验收通过", "已验收")
    await d.said(ADMIN, "已验收")  # the district admin is told, with the settle button
    await d.tap(ADMIN, "结算", "请发送实际费用")
    await d.say(ADMIN, "48000", "已结算")
    settled = await d.said(OWNER1, "已结算")
    assert "实际费用：¥48,000.00" in settled["text"] and "余额：¥52,000.00" in settled["text"]


async def test_a_campaign_with_three_sources_and_its_ledger(owners: Driver) -> None:
    d = owners
    await d.say(COMMITTEE, "/newcampaign", "用途")
    await d.say(COMMITTEE, "XGY; 小区道路铺装; 134600; 1798 ㎡; 2099-12-31", "已发起")
    await d.said(OWNER1, "六个一点账目公布")
    await d.tap(OWNER1, "我要认捐", "请发送认捐金额")
    await d.say(OWNER1, "1.005", "认捐金额“1.005”不对")  # refused, nothing stored
    await d.say(OWNER1, "500; 公开", "感谢认捐 ¥500.00")
    await d.said(COMMITTEE, "新的认捐")
    for entry in ("到账; 政府补; 80000; 平谷区政府; 公开", "认捐; 物业搭; 10000; 宜居物业"):
        await d.tap(COMMITTEE, "登记认捐/到账", "请发送：认捐/到账")
        await d.say(COMMITTEE, entry, "已登记")
    await d.tap(COMMITTEE, "公布账目", "六个一点")
    ledger = await d.said(OWNER2, "物业搭一点")
    text = ledger["text"]
    assert "政府补一点：认捐 ¥0.00，到账 ¥80,000.00" in text
    assert "物业搭一点：认捐 ¥10,000.00，到账 ¥0.00" in text
    assert "业主捐一点：认捐 ¥500.00，到账 ¥0.00" in text
    assert "▓▓▓▓▓░░░░░ 59%" in text and "鸣谢（经本人同意公开）：王秀兰 ¥500.00" in text
