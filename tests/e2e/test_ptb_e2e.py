"""The python-telegram-bot runtime (GONGZHI_ADAPTER=ptb) against the fake Bot API: the whole
loop, relays, a restart mid-report, the webhook secret, error mapping; and to_incoming on
hand-built PTB updates."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from telegram import CallbackQuery, Chat, ForumTopicCreated, Location, Message, PhotoSize, Update, User

from bot.adapters.ptb_adapter import PtbChannel, PtbRuntime, build_application, to_incoming
from bot.channel import SendError
from bot.fakeapi import FakeBotApi, make_png
from bot.runtimes import make_runtime
from handlers.types import Reply
from locales import Msg
from tests.e2e.bot_driver import STAFF_GROUP, Driver, prepare_db, settings_for
from tests.e2e.test_bot_e2e import COMMUNITY, NUMBER, RESIDENT, STAFF, _join, _report


class PtbDriver(Driver):
    """The bot_driver Driver, with the bot running on PTB (chosen through make_runtime)."""

    async def start(self) -> Any:
        s = settings_for(self.api, self.db_url).model_copy(update={"adapter": "ptb"})
        rt = make_runtime(s, auto_upgrade=True)
        assert isinstance(rt, PtbRuntime)
        await rt.start()
        self.runtime = rt  # type: ignore[assignment]  # same public shape as BotRuntime
        return rt


async def linked(d: Driver, chat: int, message: dict[str, Any]) -> dict[str, Any]:
    """Wait until the bot has recorded which ticket a message it sent belongs to. The outbox
    commits that just after the send, and PTB hands over the next update fast enough that a
    reply sent the same millisecond (no person is that quick) could otherwise arrive first."""
    assert d.runtime is not None and d.runtime.core is not None
    for _ in range(250):
        async with d.runtime.core.uow_factory() as uow:
            if await uow.outbox.link("telegram", str(chat), message["message_id"]) is not None:
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message['message_id']} in {chat} was never linked to a ticket")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi(limits=None)
    await fake.start()
    fake.add_user(RESIDENT, "李伟")
    fake.add_user(STAFF, "王师傅")
    fake.add_user(COMMUNITY, "马丽")
    fake.add_group(STAFF_GROUP, "宜居物业工单", is_forum=True, members=[STAFF])
    yield fake
    await fake.stop()
    assert fake.internal_errors == []


@pytest.fixture
async def drv(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Driver]:
    db = f"sqlite+aiosqlite:///{tmp_path / 'ptb.db'}"
    await prepare_db(db)
    d = PtbDriver(api, db)
    await d.start()
    yield d
    await d.stop()


async def test_whole_loop(drv: Driver, api: FakeBotApi) -> None:
    await _join(drv)
    number = await _report(drv, RESIDENT, "漏水", "卫生间顶部漏水", photo=True)
    card = await drv.said(STAFF, "卫生间顶部漏水")
    assert number in card["text"] and "兴谷园小区 1-1-101" in card["text"]
    assert any(c.method == "sendPhoto" and str(c.params["chat_id"]) == str(STAFF) for c in api.calls)
    topics = api.topics(STAFF_GROUP)
    assert len(topics) == 1 and number in topics[0]["name"]

    await drv.tap(STAFF, "受理", "已受理")
    await drv.said(RESIDENT, "已受理")
    await drv.tap(STAFF, "询问居民", "请输入要问居民的问题")
    await drv.say(STAFF, "请问是哪天开始漏的？", "问题已发给居民")
    await drv.said(RESIDENT, "哪天开始漏的")
    await drv.tap(RESIDENT, "回答", "请回答工作人员的问题")
    await drv.say(RESIDENT, "前天晚上", "已转达处理人员")
    await drv.said(STAFF, "前天晚上")
    await drv.tap(STAFF, "办结", "请输入办结说明")
    await drv.say(STAFF, "已修复楼上防水", "已办结")
    await drv.said(RESIDENT, "问题解决了吗")
    await drv.tap(RESIDENT, "已解决", "已关闭")
    await drv.said(RESIDENT, "请为本次服务打分")
    await drv.tap(RESIDENT, "4★", "感谢评价")
    await drv.tap(RESIDENT, "不写评语", "已跳过")
    await drv.said(STAFF, "4 星")
    await drv.say(RESIDENT, "/my", "我的工单共 1 件")
    await drv.tap(RESIDENT, number, "已关闭")
    # every button press was answered (the client's spinner stops)
    assert any(c.method == "answerCallbackQuery" and c.ok for c in api.calls)


async def test_staff_reply_relayed_to_resident(drv: Driver, api: FakeBotApi) -> None:
    await _join(drv)
    await _report(drv, RESIDENT, "电梯", "2号楼电梯异响")
    card = await linked(drv, STAFF, await drv.said(STAFF, "2号楼电梯异响"))
    api.send_text(STAFF, "明早九点派人检修", reply_to_message_id=card["message_id"])
    relayed = await linked(drv, RESIDENT, await drv.said(RESIDENT, "明早九点派人检修"))
    api.send_text(RESIDENT, "好的谢谢", reply_to_message_id=relayed["message_id"])
    await drv.said(STAFF, "好的谢谢")
    # in the ticket's forum topic every message "replies" to the topic root: still relayed
    thread = api.topics(STAFF_GROUP)[0]["message_thread_id"]
    api.send_text(STAFF, "师傅已到现场", chat_id=STAFF_GROUP, message_thread_id=thread)
    await drv.said(RESIDENT, "师傅已到现场")


async def test_restart_in_the_middle_of_a_report(drv: Driver, api: FakeBotApi) -> None:
    await _join(drv)
    await drv.say(RESIDENT, "/report", "请选择问题类别")
    await drv.tap(RESIDENT, "供暖", "请用文字描述")
    await drv.stop()
    api.send_text(RESIDENT, "暖气片不热，室温只有15度")  # written while the bot is down
    await drv.start()
    await drv.said(RESIDENT, "可以发送照片")
    await drv.tap(RESIDENT, "照片已发完", "可以发送位置")
    await drv.stop()
    await drv.start()
    await drv.tap(RESIDENT, "不发位置", "请确认")
    done = await drv.tap(RESIDENT, "提交", "已提交")
    assert NUMBER.search(done["text"])
    assert "暖气片不热" in (await drv.said(STAFF, "暖气片不热"))["text"]
    # each update was handled once although polling stopped twice
    asks = [c for c in api.calls if c.method == "sendMessage" and "可以发送照片" in str(c.params.get("text"))]
    assert len(asks) == 1


async def test_webhook_checks_the_secret(api: FakeBotApi, tmp_path: Path, unused_tcp_port: int) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'wh.db'}"
    await prepare_db(db)
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    s = settings_for(api, db).model_copy(update={
        "adapter": "ptb", "webhook_url": url, "webhook_secret": SecretStr("s3cret-token"),
        "webhook_port": unused_tcp_port})
    rt = PtbRuntime(s, auto_upgrade=True)
    await rt.start()
    try:
        assert api.webhook is not None and api.webhook["url"] == url
        update = {"update_id": 99, "message": {"message_id": 1, "date": 0, "text": "/help",
                  "chat": {"id": RESIDENT, "type": "private"},
                  "from": {"id": RESIDENT, "is_bot": False, "first_name": "x"}}}
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 401
            async with http.post(url, json=update) as r:
                assert r.status == 401
        assert not any(c.method == "sendMessage" for c in api.calls)
        api.send_text(RESIDENT, "/help")  # the fake delivers with the right secret
        await api.wait_for(lambda c: c.method == "sendMessage" and "居民可用命令" in str(c.params.get("text")))
    finally:
        await rt.stop()


def test_webhook_without_secret_is_refused(api: FakeBotApi, tmp_path: Path) -> None:
    s = settings_for(api, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}").model_copy(
        update={"webhook_url": "https://example.org/telegram"})
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        PtbRuntime(s)


def test_make_runtime_selects_the_adapter(api: FakeBotApi, tmp_path: Path) -> None:
    from bot.runtime import BotRuntime

    s = settings_for(api, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert isinstance(make_runtime(s), BotRuntime)
    assert isinstance(make_runtime(s.model_copy(update={"adapter": "ptb"})), PtbRuntime)
    with pytest.raises(ValueError, match="unknown adapter 'wechat'"):
        make_runtime(s.model_copy(update={"adapter": "wechat"}))


async def test_channel_maps_errors_and_ignores_not_modified(api: FakeBotApi,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # texts beyond the catalogue's 1000-character placeables: render the parameter as is
    monkeypatch.setattr("bot.adapters.ptb_adapter.render", lambda locale, m: str(m.params["text"]))
    app = build_application(api.token, api.base_url)
    async with app.bot as bot:
        ch = PtbChannel(bot)
        sent = await ch.send(str(RESIDENT), [Reply(Msg("plain", {"text": "x" * 5000}))], "zh_CN")
        assert len(sent) == 2  # split at 4096
        same = Reply(Msg("plain", {"text": "x" * 904}))  # the second chunk again: "not modified"
        await ch.edit(str(RESIDENT), sent[-1].message_id, same, "zh_CN")
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
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
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
    inc = to_incoming(Update(5, message=_msg(51, GROUP, text="师傅已到", message_thread_id=50,
                                             is_topic_message=True, reply_to_message=root)))
    assert inc is not None and inc.thread_id == 50 and inc.reply_to_message_id is None
    assert inc.chat_type == "supergroup" and not inc.is_private
    # an explicit reply inside the topic is still a reply
    other = _msg(52, GROUP, text="card", message_thread_id=50, is_topic_message=True)
    inc = to_incoming(Update(6, message=_msg(53, GROUP, text="好", message_thread_id=50,
                                             is_topic_message=True, reply_to_message=other)))
    assert inc is not None and inc.reply_to_message_id == 52 and inc.thread_id == 50


def test_to_incoming_skips_bots_and_other_updates() -> None:
    assert to_incoming(Update(7, message=_msg(60, text="hi", from_user=User(9, "b", True)))) is None
    assert to_incoming(Update(8, edited_message=_msg(61, text="edited"))) is None
