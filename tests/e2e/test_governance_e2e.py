"""吹哨报到 and 议事 end to end: the real bot (aiogram runtime) against the fake Bot API, the
clock moved with time-machine and the duty tick run as the scheduler would.

* a whistle with two departments: 城管 reports in and arrives, 物业办 misses both, and the
  street officer above the caller hears of each miss;
* a council with two resident proposals, one accepted, a decision linked to the ticket with
  a deadline whose reminder reaches the property staff.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from sandbox.fakeapi import FakeBotApi
from services import duty_tick
from tests.e2e.bot_driver import COMMUNITY, RESIDENT, STAFF, Driver, invite, join, prepare_db, report

CG, WYB, STREET, NEIGHBOUR = 7011, 7012, 7013, 7014


@pytest.fixture
async def gov(cast_api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Driver]:
    for uid, name in ((CG, "张伟"), (WYB, "刘洋"), (STREET, "何志刚"), (NEIGHBOUR, "陈晓燕")):
        cast_api.add_user(uid, name)
    db = f"sqlite+aiosqlite:///{tmp_path / 'gov.db'}"
    await prepare_db(db)
    d = Driver(cast_api, db, "aiogram")
    await d.start()
    yield d
    await d.stop()


async def _tick(d: Driver) -> None:
    assert d.runtime is not None and d.runtime.core is not None
    report = await duty_tick.run(d.runtime.core.uow_factory)
    assert report.errors == 0


async def test_whistle_two_departments_one_arrives_one_misses_and_escalates(gov: Driver) -> None:
    d = gov
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:
        await join(d)
        for uid, role, org in (
            (CG, "department", "BH-CG"),
            (WYB, "department", "BH-WYB"),
            (STREET, "street", "BH"),
        ):
            await d.say(uid, f"/start inv_{await invite(d.db_url, role, org)}", "已加入")
        await report(d, RESIDENT, "噪音", "楼下饭店夜里噪音扰民")
        await d.said(COMMUNITY, "楼下饭店夜里噪音扰民")
        await d.tap(COMMUNITY, "吹哨", "吹哨类型")
        await d.tap(COMMUNITY, "应急", "选择要召集的部门")
        await d.tap(COMMUNITY, "城管执法队", "已选 1 个")
        await d.tap(COMMUNITY, "物业管理办公室", "已选 2 个")
        await d.tap(COMMUNITY, "选好了", "一句话说明问题")
        await d.say(COMMUNITY, "饭店油烟噪音扰民，请到场联合执法", "集合地点和时间")
        await d.say(COMMUNITY, "兴谷园1号楼北侧；23:59", "已吹哨")
        await d.said(CG, "向贵部门吹哨")
        await d.said(WYB, "向贵部门吹哨")
        await d.said(RESIDENT, "召集 滨河街道城管执法队")
        await d.tap(CG, "报到", "滨河街道城管执法队：报到 2")
        await d.said(COMMUNITY, "滨河街道城管执法队 已报到")
        clock.shift(timedelta(minutes=16))  # 物业办's 15 minutes to report in are over
        await _tick(d)
        await d.said(STREET, "滨河街道物业管理办公室 未在时限内报到")
        await d.tap(CG, "已到场", "到场 2")
        clock.shift(timedelta(minutes=15))  # and its 30 minutes to be on site
        await _tick(d)
        await d.said(STREET, "滨河街道物业管理办公室 未在时限内到场")
        await d.say(COMMUNITY, "/whistle 1", "（报到、到场均超时）")


async def test_council_two_proposals_one_accepted_decision_reminder(gov: Driver) -> None:
    d = gov
    with time_machine.travel(datetime.now(UTC), tick=True) as clock:
        await join(d)
        await d.say(NEIGHBOUR, "/start c_XGY", "欢迎加入")
        number = await report(d, RESIDENT, "堆物", "楼道堆满杂物堵住消防通道")
        meet = (datetime.now(UTC) + timedelta(days=10)).astimezone().strftime("%Y-%m-%d")
        await d.say(COMMUNITY, "/council new", "议事会类型")
        await d.tap(COMMUNITY, "庭院议事会", "为哪个小区")
        await d.tap(COMMUNITY, "兴谷园小区", "主题；地点")
        await d.say(COMMUNITY, f"楼道治理；兴谷园活动室；{meet} 19:00", "已安排议事会 #1")
        await d.said(NEIGHBOUR, "邀请您参加议事会")
        await d.tap(NEIGHBOUR, "提议题", "写下您想讨论的议题")
        await d.say(NEIGHBOUR, "小区广场舞音响太吵", "议题已提交")
        await d.say(RESIDENT, "/my", "我的工单共 1 件")
        await d.tap(RESIDENT, number, "处理记录")
        await d.tap(RESIDENT, "提交议事会讨论", f"把工单 {number} 提交到哪次议事会")
        await d.tap(RESIDENT, "楼道治理", f"：{number}")
        await d.said(COMMUNITY, "有新议题提交")
        await d.say(COMMUNITY, "/council 1", f"议题 2：{number}")
        await d.tap(COMMUNITY, "采纳 2", "已列入议程")
        await d.tap(COMMUNITY, "不采纳 1", "未采纳")
        await d.said(RESIDENT, "已列入“楼道治理”的议程")
        await d.said(NEIGHBOUR, "这次未列入")
        await d.tap(COMMUNITY, "现在发布议程", "议程已发布")
        await d.said(NEIGHBOUR, "议事会议程")
        await d.tap(COMMUNITY, "记录决定", "决定内容")
        deadline = (datetime.now(UTC) + timedelta(days=4)).astimezone().strftime("%Y-%m-%d")
        await d.say(COMMUNITY, f"物业清理楼道杂物；YJWY；{deadline}；ticket {number}", "决定已记录")
        await d.said(STAFF, f"由 宜居物业服务有限公司 办理：物业清理楼道杂物。期限 {deadline}，关联 {number}")
        clock.shift(timedelta(days=3))  # past half of the time to the deadline
        await _tick(d)
        await d.said(STAFF, "议事决定待办")
        await d.tap(STAFF, "已办结", "已办结")
        await d.said(COMMUNITY, "议事决定已办结")
