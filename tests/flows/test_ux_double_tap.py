"""Issue 11, double taps: a second tap on a button that already did its work gets a quiet
answer (no dialog), and buttons that can no longer act leave their message."""

from __future__ import annotations

from tests.flows.conftest import join_resident, join_staff, report, snapshot
from tests.flows.harness import Harness


async def test_double_tap_on_a_card_is_quiet_and_keeps_the_live_buttons(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await join_staff(h, "wang", "staff", "YJWY")
    await report(h, "li", "leak", "卫生间漏水")
    card = h.last("wang")
    ack = card.data_for("受理")
    await h.press("wang", ack, message_id=card.message_id)
    before = await snapshot(h)
    text, alert = await h.press("wang", ack, message_id=card.message_id)
    assert text and not alert
    assert h.answer_keys()[-1] == "error-invalid-state"
    shown = next(m for m in h.seen("wang") if m.message_id == card.message_id)
    assert "btn-resolve" in shown.button_keys  # the card still offers what can be done
    assert await snapshot(h) == before


async def test_a_spent_button_leaves_its_message(h: Harness) -> None:
    await join_resident(h, "li", "XGY", "1-1-101")
    await h.say("li", "/report")
    await h.press("li", "rp:c:leak")
    await h.say("li", "卫生间漏水")
    first_prompt = h.last("li")
    assert first_prompt.button_keys == ["btn-photos-done"]
    await h.say("li", None, photos=("P1",))
    await h.press("li", h.last("li").data_for("照片已发完"))
    # the first prompt's button is spent now: pressed, it answers quietly and disappears
    text, alert = await h.press("li", "rp:done", message_id=first_prompt.message_id)
    assert text and not alert
    shown = next(m for m in h.seen("li") if m.message_id == first_prompt.message_id)
    assert shown.buttons == []
    assert h.last("li").key == "report-location"  # the conversation goes on where it was
