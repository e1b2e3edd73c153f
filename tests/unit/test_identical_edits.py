"""An edit to what a message already shows is not sent (Telegram refuses it: "message is not
modified"); a changed text or a changed button is."""

from __future__ import annotations

from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any

from bot.adapters.telegram_channel import Keyboard, TelegramChannel
from handlers.types import Button, Reply
from locales import Msg


class RecordingBot:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.next_id = 100

    async def send_message(self, chat_id: str, text: str, **kw: Any) -> Any:
        self.calls.append(("send", {"text": text, **kw}))
        self.next_id += 1
        return SimpleNamespace(message_id=self.next_id)

    async def edit_message_text(self, **kw: Any) -> Any:
        self.calls.append(("edit", kw))
        return True

    async def edit_message_reply_markup(self, **kw: Any) -> Any:
        self.calls.append(("markup", kw))
        return True


class Channel(TelegramChannel):
    def errors(self) -> Any:
        return nullcontext()

    def keyboard(self, rows: Keyboard) -> Any:
        return rows


def plain(text: str, *buttons: str) -> Reply:
    return Reply(
        Msg("plain", {"text": text}), buttons=[[Button(Msg("plain", {"text": b}), b) for b in buttons]]
    )


async def test_identical_edits_are_skipped() -> None:
    bot = RecordingBot()
    ch = Channel(bot)
    (sent,) = await ch.send("1", [plain("第 1 页", "next")], "zh_CN")
    mid = sent.message_id
    await ch.edit("1", mid, plain("第 1 页", "next"), "zh_CN")  # the same: nothing sent
    assert [c[0] for c in bot.calls] == ["send"]
    await ch.edit("1", mid, plain("第 1 页", "prev"), "zh_CN")  # a button changed
    await ch.edit("1", mid, plain("第 2 页", "prev"), "zh_CN")  # the text changed
    await ch.edit("1", mid, plain("第 2 页", "prev"), "zh_CN")
    assert [c[0] for c in bot.calls] == ["send", "edit", "edit"]
    await ch.drop_buttons("1", mid)
    await ch.drop_buttons("1", mid)  # no buttons left: nothing sent
    assert [c[0] for c in bot.calls] == ["send", "edit", "edit", "markup"]
