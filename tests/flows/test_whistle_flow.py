"""吹哨报到 in chat: a community worker blows the whistle from a ticket card, two street
departments get the card, one reports in and arrives, the other misses both (the street
officer hears of it), the caller closes with an outcome the resident sees; refusals."""

from __future__ import annotations

from datetime import timedelta

from services import duty_tick
from tests.flows.conftest import join_resident, join_staff, report
from tests.flows.harness import Harness


async def _drain(h: Harness) -> None:
    while await h.sender.drain_once():
        pass


async def _tick(h: Harness, minutes: int) -> None:
    h.clock.set(h.clock.now() + timedelta(minutes=minutes))
    await duty_tick.run(h.core.uow_factory)
    await _drain(h)


def _labels(h: Harness, name: str) -> list[str]:
    return [label for label, _ in h.last(name).buttons]


async def _dept_ids(h: Harness) -> dict[str, int]:
    async with h.core.uow_factory() as uow:
        out = {}
        for code in ("BH-CG", "BH-WYB"):
            node = await uow.org.by_code(code)
            assert node is not None and node.id is not None
            out[code] = node.id
        return out


async def test_whistle_from_the_card_to_the_outcome(h: Harness) -> None:
    await join_staff(h, "community", "community", "BH-XY")
    await join_staff(h, "street", "street", "BH")
    await join_staff(h, "cg", "department", "BH-CG")
    await join_staff(h, "wyb", "department", "BH-WYB")
    await join_resident(h, "resident", "XGY", "1-1-101")
    await report(h, "resident", "noise", "楼下饭店夜里噪音扰民")  # the community's queue
    card = h.last("community")
    assert card.key == "ticket-card"
    await h.press("community", card.data_for("吹哨"))
    assert h.last("community").key == "whistle-pick-kind"
    await h.press("community", h.last("community").data_for("应急"))
    depts = await _dept_ids(h)
    await h.press("community", f"wh:d:0:{depts['BH-CG']}")
    await h.press("community", f"wh:d:0:{depts['BH-WYB']}")
    assert h.last("community").params["count"] == 2
    await h.press("community", "wh:go")
    await h.say("community", "饭店油烟和噪音，需要城管和物业办到场")
    await h.say("community", "1号楼北侧；2026-11-25 10:30")
    assert h.keys("community")[-2:] == ["whistle-called-ok", "whistle-head"]
    assert h.last("cg").key == "whistle-called-card" and _labels(h, "cg") == ["✋ 报到（滨河街道城管执法队）"]
    assert _labels(h, "wyb") == ["✋ 报到（滨河街道物业管理办公室）"]
    assert (
        h.last("resident").key == "whistle-resident-called"
        and "滨河街道城管执法队" in h.last("resident").text
    )
    # 城管 may not report in for 物业办; a resident may neither whistle nor close
    assert (await h.press("cg", f"wh:in:1:{depts['BH-WYB']}"))[1] is True
    assert h.answer_keys()[-1] == "error-whistle-refused"
    await h.say("resident", "/whistle 1")
    assert "已召集部门" in h.last("resident").text and "超时" not in h.last("resident").text
    await h.press("resident", "wh:cl:1")
    assert h.answer_keys()[-1] == "error-whistle-refused"
    await h.press("cg", h.last("cg").data_for("报到"))
    assert h.answer_keys()[-1] == "whistle-reported-in-ok"
    assert _labels(h, "cg") == ["📍 已到场（滨河街道城管执法队）"]  # the card now offers "on site"
    await h.press("cg", f"wh:in:1:{depts['BH-CG']}")  # the stale report-in button
    assert h.answer_keys()[-1] == "error-whistle-stale"
    assert h.last("community").key == "whistle-progress-in"
    await _tick(h, 8)  # 50 % of 物业办's 15 minutes
    assert h.last("wyb").key == "whistle-reminder"
    await _tick(h, 10)  # 18 min: 物业办 missed its report-in → the street officer hears of it
    assert h.last("street").key == "whistle-escalated" and "未在时限内报到" in h.last("street").text
    await h.press("cg", h.last("cg").data_for("已到场"))
    await _tick(h, 15)  # 33 min: 物业办 missed the on-site deadline too
    assert "未在时限内到场" in h.last("street").text
    await h.say("community", "/whistle 1")
    record = h.last("community").text
    assert "滨河街道物业管理办公室：报到 -，到场 -（报到、到场均超时）" in record
    await h.press("community", h.last("community").data_for("结束"))
    await h.press("community", h.last("community").data_for("部分解决"))
    await h.say("community", None, photos=("photo-after",))
    await h.say("community", "饭店已整改油烟，噪音待复查")
    assert h.keys("community")[-2] == "whistle-closed-ok"
    assert "部分解决" in h.last("resident").text and "物业办" not in h.last("resident").text
    assert "部分解决" in h.last("wyb").text


async def test_whistle_command_refusals(h: Harness) -> None:
    await join_resident(h, "resident", "XGY", "1-1-101")
    num = (await report(h, "resident", "noise", "噪音")).split()[0]
    await h.say("resident", "/whistle PG-2026-000001")
    assert h.last("resident").key == "error-whistle-not-allowed", num
    await h.say("resident", "/whistle 99")
    assert h.last("resident").key == "error-whistle-not-found"
    await h.say("resident", "/whistle")
    assert h.last("resident").key == "whistle-none"


async def test_whistle_on_a_rectification_item(h: Harness) -> None:
    from datetime import date

    from services import rectification as rx

    await join_staff(h, "community", "community", "BH-XY")
    h.languages["cg"] = "en"  # an English client: the whistle card in English
    await join_staff(h, "cg", "department", "BH-CG")
    async with h.core.uow_factory() as uow:
        account = await uow.accounts.by_identity("telegram", h.user("community"))
        compound = await uow.org.by_code("XGY")
        assert account is not None and compound is not None and compound.id is not None
        plan, _ = await rx.open_plan(uow, account, compound.id, "2026Q4", "兴谷园整改")
        await rx.add_item(uow, account, plan, "fire_lane", "清理楼道堆物", "BH-XY", date(2026, 12, 20))
        await uow.commit()
    await h.say("community", "/plan")
    await h.press("community", h.last("community").data_for("兴谷园"))
    await h.press("community", h.last("community").data_for("吹哨：清理楼道堆物"))
    await h.press("community", h.last("community").data_for("日常"))
    await h.press("community", h.last("community").data_for("城管执法队"))
    await h.press("community", "wh:go")
    await h.say("community", "楼道堆物需城管协助清理")
    await h.say("community", "1号楼；2026-11-26 09:00")
    assert h.keys("community")[-2] == "whistle-called-ok"
    card = h.last("cg")
    assert "rectification item" in card.text and card.buttons[0][0].startswith("✋ Report in (")
