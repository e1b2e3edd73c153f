"""共议 in chat: the committee confirms owners and opens a special matter, the system opens
and closes the vote on its window, owners vote (one changes their vote), outsiders are
refused, the result is published with the tally and the official result recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy import func, select

from services import duty_tick
from services.org_import import import_org, load_org_file
from storage.models import AggregateEvent, Ballot, Matter
from tests.flows.conftest import join_resident, join_staff
from tests.flows.harness import Harness

# 甲 holds a+b (150 m²), c (60) and d (40) are one owner each, the developer e+f (100 m²)
SMALL_ORG = {
    "district": {"code": "TD", "name": "测试区"},
    "streets": [
        {
            "code": "TS",
            "name": "测试街道",
            "communities": [
                {
                    "code": "TC",
                    "name": "测试社区",
                    "compounds": [
                        {
                            "code": "T1",
                            "name": "测试小区",
                            "buildings": [
                                {
                                    "code": "1",
                                    "units": [
                                        {"code": "a", "area": 100, "owner": "甲"},
                                        {"code": "b", "area": 50, "owner": "甲"},
                                        {"code": "c", "area": 60},
                                        {"code": "d", "area": 40},
                                        {"code": "e", "area": 50, "developer": True},
                                        {"code": "f", "area": 50, "developer": True},
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
}


async def small_compound(h: Harness, tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL_ORG, allow_unicode=True), encoding="utf-8")
    async with h.core.uow_factory() as uow:
        await import_org(uow, load_org_file(path))
        await uow.commit()


async def owners_of_t1(h: Harness, tmp_path: Path) -> None:
    """委员 on T1's committee; 甲 (a), 丙 (c), 丁 (d) confirmed owners; 租客 named c, unconfirmed."""
    await small_compound(h, tmp_path)
    await join_staff(h, "委员", "committee", "T1")
    await h.say("委员", "/help")
    assert h.keys("委员")[-2:] == ["help-resident", "help-owners"]  # the owners' commands listed
    for name, unit in (("甲", "a"), ("丙", "c"), ("丁", "d"), ("租客", "c")):
        await join_resident(h, name, "T1", unit)
    await h.say("委员", "/owners T1")
    pending = h.last("委员")
    assert pending.key == "owners-pending" and len(pending.buttons) == 4
    for name in ("甲", "丙", "丁"):
        await h.press("委员", pending.data_for(name))


async def count(h: Harness, model: type) -> int:
    async with h.core.uow_factory() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_special_matter_voted_in_chat(h: Harness, tmp_path: Path) -> None:
    h.languages["丁"] = "en"  # 丁's client is English: the same matter, in English
    await owners_of_t1(h, tmp_path)
    # a resident may not open a matter; nothing stored
    await h.say("甲", "/newmatter")
    assert h.last("甲").key == "error-matter-not-allowed" and await count(h, Matter) == 0
    assert "工单" not in h.last("甲").text  # the refusal does not speak of tickets
    await h.say("委员", "/newmatter")
    await h.say("委员", "T1; special; 2026-12-20")  # a bad form: refused, nothing stored
    assert h.last("委员").key == "error-matter-bad-form" and await count(h, Matter) == 0
    await h.say("委员", "T1; 特别; 加装电梯; 说明; 2026-12-27; 2026-12-20")  # ends before it starts
    assert h.last("委员").key == "error-matter-bad-window" and await count(h, Matter) == 0
    await h.say("委员", "T2; 特别; 加装电梯; 说明; 2026-12-20; 2026-12-27")  # no such compound
    assert h.last("委员").key == "error-compound-not-found" and await count(h, Matter) == 0
    await h.say("委员", "T1; 特别; 加装电梯; 1号楼加装电梯; 2026-12-20; 2026-12-27")
    opened = h.last("委员")
    assert "公示开始：2026-12-05 00:00" in opened.text and "北京市业主电子投票系统" in opened.text
    for owner in ("甲", "丙"):
        assert h.last(owner).key == "matter-notice-head" and "新的共议事项公示" in h.last(owner).text
    assert "A new matter on notice" in h.last("丁").text and "e-voting system" in h.last("丁").text
    assert "新的共议事项公示" not in h.recent("租客", 3)  # not an owner: not told
    # voting opens on the first day (the tick), and the owners are told with vote buttons
    h.clock.set(datetime(2026, 12, 19, 16, 0, 1, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    while await h.sender.drain_once():
        pass
    notice = h.last("丙")
    assert "表决已开始" in notice.text and len(notice.buttons) == 3
    assert notice.data_for("同意") == "mt:vote:1:yes"
    await h.press("甲", "mt:vote:1:yes")
    await h.press("丙", "mt:vote:1:no")
    await h.press("丁", "mt:vote:1:yes")
    await h.press("丙", "mt:vote:1:yes")  # 丙 changes the vote
    assert "您的选择：同意" in h.last("丙").text
    # someone not confirmed as an owner, and the committee, may not vote: nothing stored
    before = await count(h, AggregateEvent)
    assert (await h.press("租客", "mt:vote:1:no"))[0] is not None
    assert (await h.press("委员", "mt:vote:1:no"))[0] is not None
    assert await count(h, AggregateEvent) == before and await count(h, Ballot) == 4  # a, b, c, d
    # the window ends: the system closes the vote; the committee publishes the result
    h.clock.set(datetime(2026, 12, 27, 16, 0, 1, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    while await h.sender.drain_once():
        pass
    assert "请在规定时间内公布结果" in h.last("委员").text
    await h.press("委员", h.last("委员").data_for("公布结果"))
    result = h.last("甲")
    assert "表决结果公布" in result.text
    # 250/350 m² and 3/4 owners take part; all three say yes: passed
    assert "参与：250.00 / 350.00 ㎡，3 / 4 人" in result.text and "— 通过" in result.text
    assert "Taking part: 250.00 / 350.00 m², 3 / 4 owners" in h.last("丁").text
    # each ballot is bound to the voter's own units: 甲's vote covers a and b
    async with h.core.uow_factory() as uow:
        ballots = {(u.code, b.choice) for b, u in await uow.owners.ballots(1)}
    assert ballots == {("a", "yes"), ("b", "yes"), ("c", "yes"), ("d", "yes")}
    await h.press("委员", h.last("委员").data_for("记录正式结果：通过"))
    async with h.core.uow_factory() as uow:
        m = await uow.aggregates.get(Matter, 1)
        assert m is not None and m.state == "recorded" and m.official_passed is True
        assert m.result["passed"] is True and m.result["yes_owners"] == 3
        kinds = [e.kind for e in await uow.aggregates.events("matter", 1)]
    assert kinds[:2] == ["opened", "vote_opened"] and kinds.count("voted") == 4
    assert kinds[-3:] == ["vote_closed", "published", "official_recorded"]
    assert "正式结果已记录" in h.last("甲").text and "official result is recorded" in h.last("丁").text


async def test_results_are_published_by_the_system_when_the_committee_does_not(
    h: Harness, tmp_path: Path
) -> None:
    await owners_of_t1(h, tmp_path)
    await h.say("委员", "/newmatter")
    await h.say("委员", "T1; ordinary; 续聘物业; 续聘宜居物业; 2026-11-26; 2026-11-27")
    h.clock.set(datetime(2026, 11, 25, 16, 0, 1, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    await h.press("甲", "mt:vote:1:yes")
    h.clock.set(datetime(2026, 11, 27, 16, 0, 1, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    # half of the three days (default): the organisers are reminded; at the end the tick publishes
    h.clock.set(datetime(2026, 11, 29, 4, 0, 2, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    while await h.sender.drain_once():
        pass
    assert "请尽快公布表决结果" in h.last("委员").text
    h.clock.set(datetime(2026, 11, 30, 16, 0, 2, tzinfo=UTC))
    await duty_tick.run(h.core.uow_factory)
    while await h.sender.drain_once():
        pass
    async with h.core.uow_factory() as uow:
        m = await uow.aggregates.get(Matter, 1)
        assert m is not None and m.state == "published"
        kinds = [e.kind for e in await uow.aggregates.events("matter", 1)]
    assert "reminded" in kinds and kinds[-1] == "published"
    # 150/350 m² < 2/3: no quorum, not passed
    assert "未达到三分之二参与" in h.last("丙").text and "— 未通过" in h.last("丙").text
