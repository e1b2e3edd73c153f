"""Item 5 of issue 10 (PIPL, domain-rules.md): an anonymous reporter's name, a hotline caller's
full phone and the unit are shown only to the handling company's staff (their private chats
and their staff group). Community and street workers who get the ticket by re-route or
escalation see the ticket without them: in cards, escalation notices and /queue."""

from __future__ import annotations

import re
from datetime import timedelta

from services import tickets
from services.tickets import NewTicket
from storage.models import Source
from tests.flows.conftest import join_resident, join_staff, ticket_by_number
from tests.flows.harness import Harness

NUMBER = re.compile(r"PG-2026-\d{6}")
GROUP = "-1001000000001"  # YJWY's staff forum
NAME, UNIT, PHONE = "王秀兰", "1-1-101", "13912345678"


async def _people(h: Harness) -> None:
    await join_resident(h, NAME, "XGY", UNIT)
    await join_staff(h, "wang", "staff", "YJWY")
    await join_staff(h, "zhao", "community", "BH-XY")
    await join_staff(h, "sun", "street", "BH")


async def _anonymous_report(h: Harness) -> str:
    await h.say(NAME, "/report")
    await h.press(NAME, "rp:c:parking")
    await h.say(NAME, "小区门口有僵尸车占道")
    await h.press(NAME, "rp:done")
    await h.press(NAME, "rp:noloc")
    await h.press(NAME, "rp:anon")
    await h.press(NAME, "rp:submit")
    m = NUMBER.search(h.last(NAME).text)
    assert m
    return m.group()


def _cards(h: Harness, who: str, number: str) -> list[str]:
    return [
        m.text for m in h.channel.chats.get(h.user(who) if who != GROUP else GROUP, []) if number in m.text
    ]


async def test_rerouted_anonymous_ticket_hides_reporter_and_unit(h: Harness) -> None:
    await _people(h)
    num = await _anonymous_report(h)
    assert (await ticket_by_number(h, num)).anonymous
    # the company's staff see who and where, privately and in their group
    for card in (_cards(h, "wang", num)[-1], _cards(h, GROUP, num)[-1]):
        assert NAME in card and UNIT in card and "仅处理人员可见" in card
    await h.press("wang", h.last("wang").data_for("退回"))
    await h.press("wang", h.last("wang").data_for("不属物业职责"))
    await h.say("wang", "路边停车归社区统一管理")
    await h.press("wang", h.last("wang").data_for("确认转交"))
    assert (await ticket_by_number(h, num)).queue == "community"
    got = _cards(h, "zhao", num)
    assert got and "匿名" in got[-1]
    # the community's card, and the same ticket through /queue → the ticket's button
    await h.say("zhao", "/queue")
    await h.press("zhao", h.last("zhao").data_for(num))
    got = _cards(h, "zhao", num)
    assert len(got) >= 2 and h.last("zhao").buttons  # the /queue card, with its buttons
    for text in got:
        assert NAME not in text and UNIT not in text, text
    assert "兴谷园小区" in got[-1]


async def test_escalated_hotline_ticket_masks_the_phone(h: Harness) -> None:
    await _people(h)
    async with h.core.uow_factory() as uow:
        xgy = await uow.org.by_code("XGY")
        assert xgy is not None and xgy.id is not None
        unit = await uow.org.unit(xgy.id, UNIT)
        assert unit is not None
        new = NewTicket(
            xgy.id, "sanitation", "楼道堆满垃圾", unit_id=unit.id, source=Source.hotline, caller_phone=PHONE
        )
        t = await tickets.create_ticket(uow, None, new)
        await uow.commit()
    while await h.sender.drain_once():
        pass
    assert PHONE in _cards(h, "wang", t.number)[-1] and UNIT in _cards(h, "wang", t.number)[-1]
    # nobody answers: the first response and then the level deadlines pass (community, street)
    from services.tick import run_tick

    for _ in range(6):
        h.clock.advance(timedelta(days=2))
        await run_tick(h.core.uow_factory)
        while await h.sender.drain_once():
            pass
    assert (await ticket_by_number(h, t.number)).escalation_level >= 2
    for who in ("zhao", "sun"):
        # the escalation notice is one line; its button opens the card (issue 11)
        notice = [m for m in h.seen(who) if "btn-open-ticket" in m.button_keys][-1]
        await h.press(who, notice.buttons[0][1], message_id=notice.message_id)
        seen = _cards(h, who, t.number)
        assert seen, who
        for text in seen:
            assert PHONE not in text and UNIT not in text, (who, text)
        assert any("13" in text and "78" in text and "*" in text for text in seen), seen  # masked
    assert PHONE in [m.text for m in h.seen("wang") if m.key == "ticket-card"][-1]
