"""The core ticket loop through the chat handlers, delivery and outbox."""

from __future__ import annotations

import re

from tests.flows.conftest import (
    join_resident,
    join_staff,
    report,
    snapshot,
    ticket_by_number,
)
from tests.flows.harness import Harness

NUMBER = re.compile(r"PG-2026-\d{6}")


async def test_report_handle_confirm_rate(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    assert "1-1-101 已登记" in h.recent("li")
    await join_staff(h, "wang", "staff", "YJWY")
    assert "宜居物业" in h.seen("wang")[0].text

    final = await report(h, "li", "leak", "3号楼2单元501卫生间顶部漏水，滴到地板上", photos=("PHOTO-1",))
    number = NUMBER.search(final)
    assert number and "预计" in final and number.group() == "PG-2026-000001"
    num = number.group()

    # staff get a card with the photo and the action buttons, privately and in the forum topic
    card = h.last("wang")
    assert num in card.text and "漏水" in card.text and "兴谷园小区 1-1-101" in card.text
    assert any(m.photos == ["PHOTO-1"] for m in h.seen("wang"))
    group = h.channel.chats["-1001000000001"]
    assert group[-1].thread_id is not None and num in h.channel.topics["-1001000000001"][group[-1].thread_id]

    text, alert = await h.press("wang", card.data_for("受理"))
    assert text and num in text and not alert
    assert "已受理" in h.last("li").text
    assert "已受理" in h.last("wang").text  # the card was edited in place

    await h.press("wang", h.last("wang").data_for("询问居民"))
    await h.say("wang", "请问漏水是从哪天开始的？")
    question = h.last("li")
    assert "从哪天开始" in question.text
    assert (await ticket_by_number(h, num)).state == "waiting_resident"

    await h.press("li", question.data_for("回答"))
    await h.say("li", "前天晚上开始的")
    assert "前天晚上开始的" in h.last("wang").text
    assert (await ticket_by_number(h, num)).state == "in_progress"

    card = [m for m in h.seen("wang") if m.buttons and any("办结" in b for b, _ in m.buttons)][-1]
    await h.press("wang", card.data_for("办结"), message_id=card.message_id)
    await h.say("wang", "已更换楼上防水层")
    resolved = h.last("li")
    assert "已更换楼上防水层" in resolved.text and "解决了吗" in resolved.text

    await h.press("li", resolved.data_for("已解决"))
    assert "已关闭" in h.seen("li")[-2].text
    await h.press("li", h.last("li").data_for("5★"))
    await h.say("li", "师傅很负责")
    t = await ticket_by_number(h, num)
    assert (t.state, t.rating, t.rating_comment) == ("closed", 5, "师傅很负责")
    assert any("5 星" in m.text for m in h.seen("wang"))
    async with h.core.uow_factory() as uow:
        kinds = [e.kind for e in await uow.tickets.events(t.id or 0)]
    assert kinds == [
        "created",
        "acknowledged",
        "asked",
        "resident_message",
        "resolved",
        "confirmed",
        "rated",
        "rating_comment",
    ]


async def test_not_responsible_goes_to_community(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")
    num = NUMBER.search(await report(h, "li", "parking", "小区门口有僵尸车占道"))
    assert num
    await h.press("wang", h.last("wang").data_for("退回"))
    await h.press("wang", h.last("wang").data_for("不属物业职责"))
    assert h.last("wang").key == "staff-reroute-reason-prompt"
    await h.say("wang", "路边停车归社区统一管理")  # a reason is required …
    assert h.last("wang").key == "staff-reroute-confirm"
    t = await ticket_by_number(h, num.group())
    assert t.queue == "property"  # … and a confirmation
    await h.press("wang", h.last("wang").data_for("确认转交"))
    t = await ticket_by_number(h, num.group())
    assert (t.queue, t.state) == ("community", "new")
    assert num.group() in h.last("zhao").text and h.last("zhao").data_for("受理")
    assert "兴谷园社区" in h.last("li").text
    async with h.core.uow_factory() as uow:
        ev = [e for e in await uow.tickets.events(t.id or 0) if e.kind == "rerouted"][-1]
    assert ev.data["note"] == "路边停车归社区统一管理" and ev.data["from"] == "YJWY"
    # the community is not offered "not responsible", and a forged button is refused
    await h.press("zhao", h.last("zhao").data_for("退回"))
    assert not any("不属物业职责" in label for label, _ in h.last("zhao").buttons)
    text, alert = await h.press(
        "zhao", f"tk:rjr:{t.id}:not_responsible", message_id=h.last("zhao").message_id
    )
    assert alert and text
    assert (await ticket_by_number(h, num.group())).queue == "community"


async def test_old_compound_routes_to_community(h: Harness) -> None:
    await join_resident(h, "zhou", "TYXC")
    await h.press("zhou", "sk:join.unit")
    await join_staff(h, "sun", "community", "BH-TY")
    await join_staff(h, "wang", "staff", "YJWY")
    num = NUMBER.search(await report(h, "zhou", "leak", "楼道水管破裂"))
    assert num
    t = await ticket_by_number(h, num.group())
    assert t.queue == "community"
    assert num.group() in h.last("sun").text
    assert not any(num.group() in m.text for m in h.seen("wang"))


async def test_queue_lists_oldest_first_and_pages(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await join_staff(h, "wang", "staff", "YJWY")
    for i in range(7):
        await report(h, "li", "greenery", f"草坪第{i}处没人修剪")
    await h.say("wang", "/queue")
    page1 = h.last("wang")
    assert "共 7 件" in page1.text and "第 1/2 页" in page1.text
    assert page1.buttons[0][0].startswith("PG-2026-000001")
    await h.press("wang", page1.data_for("下一页"))
    page2 = h.last("wang")
    assert "第 2/2 页" in page2.text and page2.buttons[0][0].startswith("PG-2026-000006")


async def test_my_lists_and_shows_history(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    num = NUMBER.search(await report(h, "li", "noise", "楼上深夜装修"))
    assert num
    await h.say("li", "/my")
    await h.press("li", h.last("li").data_for(num.group()))
    assert "处理记录" in h.last("li").text and "提交" in h.last("li").text
    await h.press("li", h.last("li").data_for("补充信息"))
    await h.say("li", "每天晚上十一点以后")
    async with h.core.uow_factory() as uow:
        t = await uow.tickets.by_number(num.group())
        assert t is not None
        events = await uow.tickets.events(t.id or 0)
    assert events[-1].kind == "resident_message" and events[-1].data["text"] == "每天晚上十一点以后"


async def test_language_switch(h: Harness) -> None:
    await h.say("amy", "/lang")
    await h.press("amy", h.last("amy").data_for("English"))
    assert h.last("amy").text == "Language set to English."
    await h.say("amy", "/report")
    assert "compound" in h.last("amy").text
    snap = await snapshot(h)
    assert snap["Ticket"] == 0


async def test_every_copy_of_a_card_follows_the_ticket(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhou", "manager", "YJWY")
    num = NUMBER.search(await report(h, "li", "elevator", "3号楼电梯停在5层不动"))
    assert num
    group = "-1001000000001"
    cards = {
        h.user("wang"): h.last("wang"),
        h.user("zhou"): h.last("zhou"),
        group: h.channel.chats[group][-1],
    }
    assert all("受理" in [label for label, _ in c.buttons] for c in cards.values())

    def current(chat: str) -> tuple[str, list[str]]:
        m = next(m for m in h.channel.chats[chat] if m.message_id == cards[chat].message_id)
        return m.text, [label for label, _ in m.buttons]

    await h.press("wang", cards[h.user("wang")].data_for("受理"))
    for chat in cards:
        text, labels = current(chat)
        assert num.group() in text and "（已受理）" in text and "受理" not in labels, chat
    # a change made by typing (the resolution note after 办结) refreshes every copy too
    await h.press("zhou", cards[h.user("zhou")].data_for("办结"))
    await h.say("zhou", "已联系维保单位修复")
    for chat in cards:
        text, labels = current(chat)
        assert "（已办结（待确认））" in text and labels == [], chat
