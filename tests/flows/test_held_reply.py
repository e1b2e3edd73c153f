"""Replies committed with an update are kept until they were sent: a redelivery after a crash
between the commit and the send gets them again; after the send it is dropped."""

from __future__ import annotations

from handlers.types import Incoming
from locales import Rendered, render
from tests.flows.conftest import join_resident
from tests.flows.harness import Harness


def _text(h: Harness, name: str, text: str, update_id: int) -> Incoming:
    user = h.user(name)
    return Incoming(
        channel="telegram",
        update_id=update_id,
        user_id=user,
        user_name=name,
        chat_id=user,
        message_id=update_id,
        text=text,
        language="zh-hans",
    )


async def test_replies_not_sent_come_again_with_the_redelivery(h: Harness) -> None:
    await join_resident(h, "li", "XGY")
    await h.press("li", "sk:join.unit")
    inc = _text(h, "li", "/report", 5000)
    first = await h.core.dispatcher.handle(inc)  # committed; the process "dies" before sending
    assert first is not None and first.replies[0].text.key == "report-choose-category"
    again = await h.core.dispatcher.handle(inc)  # Telegram delivers it again
    assert again is not None
    assert isinstance(again.replies[0].text, Rendered)
    assert render("zh_CN", again.replies[0].text) == "请选择问题类别："
    assert [b.data for row in again.replies[0].buttons for b in row] == [
        b.data for row in first.replies[0].buttons for b in row
    ]
    async with h.core.uow_factory() as uow:
        state = await uow.conversations.get(
            (await uow.accounts.by_identity("telegram", h.user("li"))).id or 0,  # type: ignore[union-attr]
            f"telegram:{h.user('li')}",
        )
    assert state is not None and state.step.startswith("report")  # handled once, not twice
    await h.pipeline(inc)  # the pipeline sends them, then forgets them
    assert await h.core.dispatcher.handle(inc) is None


def test_kept_text_is_not_limited_by_fluent() -> None:
    from handlers.held_reply import decode, encode
    from handlers.types import Outcome, Reply, msg
    from locales import Lines

    long = Lines([msg("plain", text="漏" * 900) for _ in range(6)])  # 5400 characters
    out = decode(encode(Outcome(replies=[Reply(long)], locale="zh_CN")))
    assert render("zh_CN", out.replies[0].text) == render("zh_CN", long)
