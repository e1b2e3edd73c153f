"""六个一点 in chat: a campaign with pledges and receipts from three sources, its ledger and
progress bar posted to the residents, bad pledges refused with nothing stored, the close with
the final account."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from storage.models import AggregateEvent, CampaignEntry
from tests.flows.conftest import join_staff
from tests.flows.harness import Harness
from tests.flows.test_matters import owners_of_t1


async def count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_campaign_with_three_sources_and_its_ledger(h: Harness, tmp_path: Path) -> None:
    await owners_of_t1(h, tmp_path)
    await join_staff(h, "社区", "community", "TC")
    await h.say("甲", "/newcampaign")
    assert h.last("甲").key == "error-campaign-not-allowed" and "工单" not in h.last("甲").text
    await h.say("委员", "/newcampaign")
    await h.say("委员", "T1; 小区道路铺装; 134600; 1798 ㎡; 2026-12-31")
    assert "六个一点账目公布" in h.last("租客").text  # every resident sees the ledger
    # bad pledges: refused with a clear reply, nothing stored
    await h.press("甲", "cp:pledge:1")
    for bad in ("-5", "abc", "1.234", "0"):
        await h.say("甲", bad)
        assert h.last("甲").key == "error-pledge-bad-amount", bad
    assert await count(h, CampaignEntry) == 0
    await h.say("甲", "500; 公开")
    assert "感谢认捐 ¥500.00" in h.last("甲").text
    await h.press("丙", "cp:pledge:1")
    await h.say("丙", "300")
    # a resident may not record receipts
    assert (await h.press("甲", "cp:rec:1"))[0] is not None
    for entry in (
        "认捐; 政府补; 80000; 平谷区政府; 公开",
        "到账; 政府补; 80000; 平谷区政府",
        "到账; 物业搭; 10000; 宜居物业",
        "到账; 业主捐; 800; 业主",
    ):
        await h.press("委员", "cp:rec:1")
        await h.say("委员", entry)
        assert h.last("委员").key == "campaign-recorded", entry
    await h.press("委员", "cp:rec:1")
    await h.say("委员", "到账; 天上掉; 5; 某人")
    assert h.last("委员").key == "error-campaign-bad-source" and await count(h, CampaignEntry) == 6
    await h.press("委员", "cp:post:1")
    posted = h.last("丁").text
    assert "▓▓▓▓▓▓░░░░ 67%" in posted  # 90,800 received of 134,600
    assert "已到账 ¥90,800.00 / 目标 ¥134,600.00（已认捐 ¥80,800.00）" in posted
    assert "政府补一点：认捐 ¥80,000.00，到账 ¥80,000.00" in posted
    assert "物业搭一点：认捐 ¥0.00，到账 ¥10,000.00" in posted
    assert "业主捐一点：认捐 ¥800.00，到账 ¥800.00" in posted
    assert "鸣谢（经本人同意公开）：甲 ¥500.00、平谷区政府 ¥80,000.00" in posted and "丙" not in posted
    # past the end date a pledge is refused, nothing stored
    h.clock.set(datetime(2026, 12, 31, 16, 0, 1, tzinfo=UTC))  # 1 January in Beijing
    events = await count(h, AggregateEvent)
    await h.press("丙", "cp:pledge:1")
    await h.say("丙", "100")
    assert h.last("丙").key == "error-campaign-ended" and await count(h, AggregateEvent) == events
    # works, then the community accepts and closes with the final account
    await h.press("委员", "cp:works:1")
    assert (await h.press("委员", "cp:close:1"))[0] is not None  # the committee does not close
    await h.press("社区", "cp:close:1")
    await h.say("社区", "88000")
    assert "决算：实际费用 ¥88,000.00，结余 ¥2,800.00。" in h.last("甲").text
    assert "已验收结项" in h.last("甲").text
