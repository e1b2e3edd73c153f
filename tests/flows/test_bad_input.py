"""Bad input gets a clear reply and changes nothing stored."""

from __future__ import annotations

import re

import pytest

from tests.flows.conftest import (
    join_resident,
    join_staff,
    report,
    snapshot,
    ticket_by_number,
)
from tests.flows.harness import Harness

NUMBER = re.compile(r"PG-2026-\d{6}")


async def _resident_with_ticket(h: Harness) -> str:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await join_staff(h, "wang", "staff", "YJWY")
    m = NUMBER.search(await report(h, "li", "leak", "厨房漏水"))
    assert m
    return m.group()


async def test_unknown_command(h: Harness) -> None:
    before = await snapshot(h)
    await h.say("li", "/frobnicate")
    assert "没有 /frobnicate 这个命令" in h.last("li").text
    assert (await snapshot(h))["Ticket"] == before["Ticket"]


async def test_text_where_a_button_is_expected(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    before = await snapshot(h)
    await h.say("li", "漏水")
    assert "请点上方的按钮" in h.last("li").text
    assert await snapshot(h) == before


async def test_empty_and_oversized_description(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    before = await snapshot(h)
    await h.say("li", "x" * 2001)
    assert "描述太长了（2001 字）" in h.last("li").text
    await h.say("li", "   ")
    assert "描述不能为空" in h.last("li").text
    assert await snapshot(h) == before
    await h.say("li", None, photos=("P",))  # a photo alone is kept while the text is asked for
    assert h.last("li").key == "report-photo-kept"
    await h.say("li", "x" * 2000)  # the limit itself is fine
    assert "照片" in h.last("li").text


async def test_forged_and_unknown_buttons(h: Harness) -> None:
    num = await _resident_with_ticket(h)
    before = await snapshot(h)
    for data in (
        "zz:1",
        "tk:ack:999999",
        "tk:ack:abc",
        "tk:nope:1",
        "rt:1:9",
        "cf:maybe:1",
        "q:-1",
        "my:x",
        "rp:c:spaceship",
        "lang:klingon",
        "",
        "tk:ack:" + "9" * 40,
        "tk:ack:1:" + "x" * 200,
        "tk:ack:1:extra",
        "sk:report.nowhere",
        "rx:open:1:1999Q9",
        "st:x:y",
        "dg:zz",
    ):
        text, alert = await h.press("wang", data, message_id=1)
        # a report button outside a report is merely spent (a quiet answer)
        assert text and (alert or data.startswith("rp:")), data
    assert await snapshot(h) == before
    assert num


async def test_stale_buttons(h: Harness) -> None:
    num = await _resident_with_ticket(h)
    card = h.last("wang")
    await h.press("wang", card.data_for("受理"))
    before = await snapshot(h)
    # a double tap: a quiet toast, no dialog; the card keeps the buttons that still act
    text, alert = await h.press("wang", card.data_for("受理"), message_id=card.message_id)
    assert not alert and text and "已受理" in text and num in text
    # a report-flow button after the report was submitted
    text, alert = await h.press("li", "rp:submit")
    assert not alert and text and "过期" in text
    assert await snapshot(h) == before


async def test_redelivered_update_is_dropped(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    uid = await h.say("li", "卫生间漏水")
    seen = len(h.seen("li"))
    before = await snapshot(h)
    await h.say("li", "卫生间漏水", update_id=uid)
    assert len(h.seen("li")) == seen
    assert await snapshot(h) == before


async def test_acting_outside_role(h: Harness) -> None:
    num = await _resident_with_ticket(h)
    t = await ticket_by_number(h, num)
    await join_staff(h, "chen", "staff", "HTWY")  # another company
    before = await snapshot(h)
    for who in ("li", "chen"):
        text, alert = await h.press(who, f"tk:ack:{t.id}", message_id=1)
        assert alert and text == "您没有权限处理这个工单。"
    await h.say("li", "/queue")
    assert "仅供物业或社区工作人员" in h.last("li").text
    await h.say("chen", "/queue")
    assert "没有待办工单" in h.last("chen").text
    # a resident cannot confirm someone else's ticket
    text, alert = await h.press("chen", f"cf:y:{t.id}", message_id=1)
    assert alert and text == "您没有权限处理这个工单。"
    assert await snapshot(h) == before


async def test_actions_on_a_closed_ticket(h: Harness) -> None:
    num = await _resident_with_ticket(h)
    t = await ticket_by_number(h, num)
    await h.press("wang", f"tk:rej:{t.id}", message_id=1)
    await h.press("wang", f"tk:rjr:{t.id}:invalid", message_id=1)
    assert "已退回" in h.last("li").text
    before = await snapshot(h)
    for data in (f"tk:ack:{t.id}", f"tk:res:{t.id}", f"tk:ask:{t.id}", f"ma:{t.id}", f"cf:y:{t.id}"):
        who = "li" if data[0] in "mc" else "wang"
        text, alert = await h.press(who, data, message_id=1)
        assert text and "已退回" in text, data
    assert await snapshot(h) == before


async def test_invites_are_single_use_and_expire(h: Harness) -> None:
    from datetime import timedelta

    from services.accounts import create_invite
    from storage.models import Role

    async with h.core.uow_factory() as uow:
        inv = await create_invite(uow, role=Role.staff, org_code="YJWY", days=7)
        await uow.commit()
    await h.say("wang", f"/start inv_{inv.code}")
    before = await snapshot(h)
    await h.say("mallory", f"/start inv_{inv.code}")
    assert "已被使用" in h.last("mallory").text
    await h.say("mallory", "/start inv_nonexistent")
    assert "邀请链接无效" in h.last("mallory").text
    async with h.core.uow_factory() as uow:
        inv2 = await create_invite(uow, role=Role.staff, org_code="YJWY", days=7)
        await uow.commit()
    h.clock.advance(timedelta(days=8))
    await h.say("mallory", f"/start inv_{inv2.code}")
    assert "已过期" in h.last("mallory").text
    after = await snapshot(h)
    assert after["RoleGrant"] == before["RoleGrant"]


async def test_unknown_unit_and_compound(h: Harness) -> None:
    await h.say("li", "/start c_NOPE")
    assert "找不到这个小区" in h.last("li").text
    await h.say("li", "/start c_XGY")
    await h.say("li", "9-9-999")
    assert "没有找到房号 9-9-999" in h.last("li").text
    await h.say("li", "1-2-602")
    assert "1-2-602 已登记" in h.recent("li")


async def test_a_bug_rolls_back_and_says_sorry(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    from services import ticket_effects

    num = await _resident_with_ticket(h)
    t = await ticket_by_number(h, num)

    async def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("boom")

    before = await snapshot(h)
    monkeypatch.setattr(ticket_effects.deadlines, "refresh", broken)
    text, alert = await h.press("wang", f"tk:ack:{t.id}", message_id=1)
    monkeypatch.undo()
    assert alert and text == "抱歉，出了点问题，请稍后再试。"
    assert await snapshot(h) == before
