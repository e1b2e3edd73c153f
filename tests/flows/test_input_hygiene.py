"""Text that shows nothing, text that would disguise itself, and messages the bot cannot
take: a clear reply, nothing stored changed; control and bidi-override characters never
reach a card."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Ticket
from tests.flows.conftest import join_resident, join_staff, report, snapshot
from tests.flows.harness import Harness

INVISIBLE = [
    "\u200b\u200c\u200d",
    "\u2060\ufeff \u3164",
    "\x01\x7f\u202e\u2066",
    "\u200e\u200f\n\t",
    "\u0301\u0302",
]


async def _at_describe(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    assert h.last("li").key == "report-describe"


async def test_a_description_of_invisible_characters_is_refused(h: Harness) -> None:
    await _at_describe(h)
    before = await snapshot(h)
    for text in INVISIBLE:
        await h.say("li", text)
        assert h.last("li").key == "error-description-empty", repr(text)
    assert await snapshot(h) == before  # still at the description step, nothing stored
    await h.say("li", "水管\u200b漏水")  # a zero-width space inside real text is kept
    assert h.last("li").key == "report-photos"


@pytest.mark.parametrize("kind", ["sticker", "voice", "document"])
async def test_an_unsupported_message_is_named_as_such(h: Harness, kind: str) -> None:
    await _at_describe(h)
    before = await snapshot(h)
    await h.say("li", None, unsupported=kind)  # e.g. a sticker where the description is asked
    assert h.last("li").key == "error-unsupported-message"
    await h.say("li", "说明文字", unsupported=kind)  # a document with a caption: still not taken
    assert h.last("li").key == "error-unsupported-message"
    assert await snapshot(h) == before


async def test_bidi_overrides_and_control_characters_never_reach_a_card(h: Harness) -> None:
    await join_staff(h, "wang", "staff", "YJWY")
    await join_resident(h, "li", "XGY", "1-1-101")
    disguised = "请回电\u202e1234-5678\u202c 厨房\x07漏水\u2067隔离\u2069\r\n第二行"
    await report(h, "li", "leak", disguised)
    async with h.core.uow_factory() as uow:
        (ticket,) = (await uow.session.execute(select(Ticket))).scalars().all()
    assert ticket.description == "请回电1234-5678 厨房漏水隔离\n第二行"
    (card,) = [m for m in h.seen("wang") if m.key == "ticket-card"]
    assert "请回电1234-5678 厨房漏水隔离\n第二行" in card.text
    assert not any(c in card.text for c in "\u202e\u202c\x07\u2067\u2069\r")
    # the same for what a resident adds and what staff relay
    await h.press("li", f"ma:{ticket.id}")
    await h.say("li", "补充\u202e说明\x1b")
    assert "补充说明" in h.recent("wang", 2) and "\u202e" not in h.recent("wang", 2)
