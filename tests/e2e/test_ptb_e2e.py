"""What is particular to the python-telegram-bot runtime (GONGZHI_ADAPTER=ptb): start-up
failures, adapter selection, error mapping, and to_incoming on hand-built PTB updates. The
shared scenarios (whole loop, relays, restarts, webhook) run on both adapters in
test_bot_e2e.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from telegram import (
    CallbackQuery,
    Chat,
    ForumTopicCreated,
    Location,
    Message,
    PhotoSize,
    Update,
    User,
)

from bot.adapters.aiogram_runtime import AiogramRuntime
from bot.adapters.choice import make_runtime
from bot.adapters.ptb_adapter import PtbChannel, build_application, to_incoming
from bot.adapters.ptb_runtime import PtbRuntime
from bot.channel import SendError
from handlers.types import Reply
from locales import Msg
from sandbox.fakeapi import FakeBotApi, make_png
from tests.e2e.bot_driver import RESIDENT, STAFF, STAFF_GROUP, prepare_db, settings_for


@pytest.fixture
def api(cast_api: FakeBotApi) -> FakeBotApi:
    return cast_api


async def test_a_failed_start_cleans_up(api: FakeBotApi, tmp_path: Path, unused_tcp_port: int) -> None:
    from telegram.error import BadRequest

    db = f"sqlite+aiosqlite:///{tmp_path / 'bad.db'}"
    await prepare_db(db)
    s = settings_for(api, db).model_copy(
        update={  # plain http off the machine: refused by the API
            "webhook_url": "http://example.org/telegram",
            "webhook_secret": SecretStr("s3cret"),
            "webhook_port": unused_tcp_port,
        }
    )
    rt = PtbRuntime(s)
    with pytest.raises(BadRequest, match="(?i)https url must be provided"):
        await rt.start()
    assert rt.stopped.is_set() and rt.app is None
    async with aiohttp.ClientSession() as http:  # the webhook server is gone too
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.post(f"http://127.0.0.1:{unused_tcp_port}/telegram", json={})


def test_webhook_without_secret_is_refused(api: FakeBotApi, tmp_path: Path) -> None:
    s = settings_for(api, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}").model_copy(
        update={"webhook_url": "https://example.org/telegram"}
    )
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        PtbRuntime(s)


def test_make_runtime_selects_the_adapter(api: FakeBotApi, tmp_path: Path) -> None:
    s = settings_for(api, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert isinstance(make_runtime(s), AiogramRuntime)
    assert isinstance(make_runtime(s.model_copy(update={"adapter": "ptb"})), PtbRuntime)
    with pytest.raises(ValueError, match="unknown adapter 'wechat'"):
        make_runtime(s.model_copy(update={"adapter": "wechat"}))


async def test_channel_maps_errors_and_ignores_not_modified(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # texts beyond the catalogue's 1000-character placeables: render the parameter as is
    def as_is(locale: str, m: Msg) -> str:
        return str(m.params.get("text", "…"))

    monkeypatch.setattr("bot.telegram_text.render", as_is)
    monkeypatch.setattr("bot.adapters.telegram_channel.render", as_is)
    app = build_application(api.token, api.base_url)
    async with app.bot as bot:
        ch = PtbChannel(bot)
        sent = await ch.send(str(RESIDENT), [Reply(Msg("plain", {"text": "x" * 5000}))], "zh_CN")
        assert len(sent) == 2  # split at 4096
        same = Reply(Msg("plain", {"text": "x" * 904}))  # the second chunk again
        await ch.edit(str(RESIDENT), sent[-1].message_id, same, "zh_CN")
        assert api.calls[-1].method == "sendMessage"  # known to show that already: not sent
        # a channel that does not remember it (another process): Telegram's "not modified" is ignored
        await PtbChannel(bot).edit(str(RESIDENT), sent[-1].message_id, same, "zh_CN")
        assert api.calls[-1].method == "editMessageText" and not api.calls[-1].ok
        api.fail_next("sendMessage", 429, retry_after=3)
        with pytest.raises(SendError) as e429:
            await ch.send(str(RESIDENT), [Reply(Msg("plain", {"text": "hi"}))], "zh_CN")
        assert e429.value.kind == "retry_after" and e429.value.retry_after == 3.0
        api.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
        with pytest.raises(SendError) as e403:
            await ch.send(str(RESIDENT), [Reply(Msg("plain", {"text": "hi"}))], "zh_CN")
        assert e403.value.kind == "permanent"
        with pytest.raises(SendError) as e400:  # a chat that does not exist
            await ch.send("424242", [Reply(Msg("plain", {"text": "hi"}))], "zh_CN")
        assert e400.value.kind == "permanent"
        api.fail_next("sendMessage", 502)
        with pytest.raises(SendError) as e502:
            await ch.send(str(RESIDENT), [Reply(Msg("plain", {"text": "hi"}))], "zh_CN")
        assert e502.value.kind == "transient"
        thread = await ch.create_topic(str(STAFF_GROUP), "PG-2026-000001 漏水")
        assert api.topics(STAFF_GROUP)[0]["message_thread_id"] == thread
        ids = [api.send_photo(STAFF, make_png())["message"]["photo"][-1]["file_id"] for _ in range(2)]
        chart = Reply(Msg("plain", {"text": "chart"}), files=[("chart.png", make_png())], photos=ids)
        sent = await ch.send(str(STAFF_GROUP), [chart], "zh_CN", thread_id=thread)
        assert len(sent) == 4  # the generated chart, two photos as one album, the text
        assert [c.method for c in api.calls[-3:]] == ["sendPhoto", "sendMediaGroup", "sendMessage"]
        assert all(c.params.get("message_thread_id") == thread for c in api.calls[-3:])
        assert api.calls[-3].files  # the chart was uploaded


# ---- to_incoming on hand-built PTB updates ----------------------------------------------------
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LI = User(RESIDENT, "伟", False, last_name="李", language_code="en")
PRIVATE = Chat(RESIDENT, "private")
GROUP = Chat(STAFF_GROUP, "supergroup", title="宜居物业工单", is_forum=True)


def _msg(mid: int, chat: Chat = PRIVATE, **kw: Any) -> Message:
    return Message(mid, NOW, chat, from_user=kw.pop("from_user", LI), **kw)


def test_to_incoming_text_command() -> None:
    inc = to_incoming(Update(1, message=_msg(10, text="/report@gongzhi_bot now")))
    assert inc is not None and inc.update_id == 1 and inc.user_id == str(RESIDENT)
    assert inc.chat_id == str(RESIDENT) and inc.chat_type == "private" and inc.is_private
    assert inc.command == ("report", "now") and inc.user_name == "伟 李" and inc.language == "en"
    assert inc.photos == () and inc.location is None and inc.reply_to_message_id is None


def test_to_incoming_photo_with_caption_takes_the_largest_size() -> None:
    sizes = (PhotoSize("small", "u1", 90, 90), PhotoSize("large", "u2", 1280, 1280))
    inc = to_incoming(Update(2, message=_msg(11, photo=sizes, caption="漏水处")))
    assert inc is not None and inc.photos == ("large",) and inc.text == "漏水处"


def test_to_incoming_location() -> None:
    inc = to_incoming(Update(3, message=_msg(12, location=Location(117.1205, 40.1412))))
    assert inc is not None and inc.location == (40.1412, 117.1205) and inc.text is None


def test_to_incoming_callback_query() -> None:
    card = _msg(13, text="card", from_user=User(1, "bot", True))
    q = CallbackQuery("q-1", LI, "ci", message=card, data="ack:7")
    inc = to_incoming(Update(4, callback_query=q))
    assert inc is not None and inc.callback_data == "ack:7" and inc.callback_id == "q-1"
    assert inc.message_id == 13 and inc.chat_id == str(RESIDENT) and inc.text is None


def test_to_incoming_forum_topic_message_is_not_a_reply() -> None:
    root = Message(50, NOW, GROUP, forum_topic_created=ForumTopicCreated("PG-2026-000001", 0x6FB9F0))
    inc = to_incoming(
        Update(
            5,
            message=_msg(
                51, GROUP, text="师傅已到", message_thread_id=50, is_topic_message=True, reply_to_message=root
            ),
        )
    )
    assert inc is not None and inc.thread_id == 50 and inc.reply_to_message_id is None
    assert inc.chat_type == "supergroup" and not inc.is_private
    # an explicit reply inside the topic is still a reply
    other = _msg(52, GROUP, text="card", message_thread_id=50, is_topic_message=True)
    inc = to_incoming(
        Update(
            6,
            message=_msg(
                53, GROUP, text="好", message_thread_id=50, is_topic_message=True, reply_to_message=other
            ),
        )
    )
    assert inc is not None and inc.reply_to_message_id == 52 and inc.thread_id == 50


def test_to_incoming_skips_bots_and_other_updates() -> None:
    assert to_incoming(Update(7, message=_msg(60, text="hi", from_user=User(9, "b", True)))) is None
    assert to_incoming(Update(8, edited_message=_msg(61, text="edited"))) is None
