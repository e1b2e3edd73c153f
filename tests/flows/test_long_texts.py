"""Long content is split or shortened the way Telegram needs it, never dropped: lengths in
UTF-16 units (astral-plane text), Fluent's 2500-character parameter limit (a long history,
a digest of 120 compounds)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.telegram_text import TEXT_LIMIT, utf16_len
from services import digest
from services.org_import import import_org
from storage.models import Notification, NotificationState, Ticket
from tests.flows.conftest import join_resident, join_staff, report
from tests.flows.harness import Harness

SH = ZoneInfo("Asia/Shanghai")
STAFF_GROUP = "-1001000000001"


async def notifications(h: Harness) -> list[Notification]:
    async with h.core.uow_factory() as uow:
        return list((await uow.session.execute(select(Notification))).scalars().all())


async def test_a_2000_emoji_description_reaches_staff_as_one_card(h: Harness) -> None:
    await join_staff(h, "wang", "staff", "YJWY")
    await join_resident(h, "li", "XGY", "1-1-101")
    emoji = "😀" * 2000  # 2000 characters, within the limit; 4000 UTF-16 units
    done = await report(h, "li", "leak", emoji)
    assert "PG-2026-" in done

    cards = [m for m in h.seen("wang") if m.key == "ticket-card"]
    assert len(cards) == 1
    card = cards[0]
    assert utf16_len(card.text) <= TEXT_LIMIT and "内容过长，已截断" in card.text
    assert any(d.startswith("tk:ack:") for _, d in card.buttons)
    group = [m for m in h.channel.chats[STAFF_GROUP] if m.key == "ticket-card"]
    assert len(group) == 1 and group[0].buttons
    assert all(n.state == NotificationState.sent for n in await notifications(h))
    async with h.core.uow_factory() as uow:
        (ticket,) = (await uow.session.execute(select(Ticket))).scalars().all()
        assert ticket.description == emoji  # stored whole

    await h.press("wang", card.data_for("受理"), message_id=card.message_id)
    edited = next(m for m in h.seen("wang") if m.message_id == card.message_id)
    assert "已受理" in edited.text and utf16_len(edited.text) <= TEXT_LIMIT
    assert h.channel.violations == []


async def test_history_with_two_long_additions_keeps_its_buttons(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await report(h, "li", "leak", "卫生间顶部漏水")
    async with h.core.uow_factory() as uow:
        (ticket,) = (await uow.session.execute(select(Ticket))).scalars().all()
    additions = ["🌧" * 1990 + "一", "甲" * 1990 + "二"]  # over 4096 UTF-16 units together
    for text in additions:
        await h.press("li", f"ma:{ticket.id}")
        await h.say("li", text)
    before = len(h.seen("li"))
    await h.press("li", f"mv:{ticket.id}")
    shown = h.seen("li")[before:]
    history = [m for m in shown if m.key == "history"]
    assert len(history) >= 2  # split into several messages…
    assert all(utf16_len(m.text) <= TEXT_LIMIT for m in history)
    joined = "\n".join(m.text for m in history)
    assert all(text in joined for text in additions)  # …nothing dropped
    assert shown[-1].key == "history" and shown[-1].data_for("补充")  # the buttons on the last
    assert h.channel.violations == []


def big_street(count: int) -> dict[str, object]:
    """A street of one community with ``count`` compounds (long names)."""
    compounds = [
        {
            "code": f"BIG{i:03d}",
            "name": f"滨河北岸第{i:03d}号安置小区（东区三期）",
            "address": f"平谷区北岸路{i}号",
        }
        for i in range(count)
    ]
    return {
        "district": {"code": "PG", "name": "平谷区", "ticket_prefix": "PG", "timezone": "Asia/Shanghai"},
        "streets": [
            {
                "code": "BA",
                "name": "北岸街道",
                "communities": [{"code": "BA-1", "name": "北岸社区", "compounds": compounds}],
            }
        ],
    }


async def test_a_street_digest_for_120_compounds_is_delivered_in_parts(h: Harness) -> None:
    async with h.core.uow_factory() as uow:
        await import_org(uow, big_street(120))
        await uow.commit()
    await join_staff(h, "he", "street", "BA")
    h.clock.set(datetime(2026, 11, 30, 8, 5, tzinfo=SH))  # Monday: the weekly digest
    async with h.core.uow_factory() as uow:
        assert await digest.run_scheduled(uow) == 1
        await uow.commit()
    while await h.sender.drain_once():
        pass
    rows = [n for n in await notifications(h) if n.kind == "digest"]
    assert [n.state for n in rows] == [NotificationState.sent]
    parts = [m for m in h.seen("he") if m.key == "digest-head-weekly"]
    assert len(parts) >= 2 and all(utf16_len(m.text) <= TEXT_LIMIT for m in parts)
    text = "\n".join(m.text for m in parts)
    assert "北岸街道 · 每周简报" in parts[0].text
    assert all(f"滨河北岸第{i:03d}号安置小区（东区三期）" in text for i in range(120))
    assert h.channel.violations == []
