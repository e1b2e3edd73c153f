"""The real runtime (aiogram and python-telegram-bot) against the fake Bot API:
the whole loop, relays, the re-route, the old compound, restarts, redelivery
and webhook secrets."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters.choice import make_runtime
from sandbox.fakeapi import FakeBotApi
from tests.e2e.bot_driver import (
    ADAPTERS,
    COMMUNITY,
    NUMBER,
    OLD_RESIDENT,
    RESIDENT,
    STAFF,
    STAFF_GROUP,
    Driver,
    invite,
    join,
    prepare_db,
    refusals_after_stop,
    report,
    settings_for,
)


async def test_whole_loop(drv: Driver, cast_api: FakeBotApi) -> None:
    await join(drv)
    number = await report(drv, RESIDENT, "漏水", "卫生间顶部漏水", photo=True)
    api = cast_api
    card = await drv.said(STAFF, "卫生间顶部漏水")
    assert number in card["text"] and "兴谷园小区 1-1-101" in card["text"]
    assert any(c.method == "sendPhoto" and str(c.params["chat_id"]) == str(STAFF) for c in api.calls)
    await drv.said(STAFF_GROUP, "卫生间顶部漏水")  # the group's copy, in the ticket's topic
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
    # nothing Telegram would refuse: no "message is not modified", nothing too long, no 429
    assert await refusals_after_stop(drv) == []


async def test_a_card_of_2000_emoji_is_delivered(drv: Driver, cast_api: FakeBotApi) -> None:
    """2000 characters, 4000 UTF-16 units: the card is shortened to fit one message (the
    fake Bot API, like Telegram, refuses more than 4096 units)."""
    await drv.say(RESIDENT, "/start c_XGY", "欢迎加入")
    await drv.say(RESIDENT, "1-1-101", "已登记")
    await drv.say(STAFF, f"/start inv_{await invite(drv.db_url, 'staff', 'YJWY')}", "已加入")
    await drv.say(RESIDENT, "/report", "请选择问题类别")
    await drv.tap(RESIDENT, "漏水", "请用文字描述")
    await drv.say(RESIDENT, "漏水" + "💧" * 1998, "可以发送照片")
    await drv.tap(RESIDENT, "照片已发完", "可以发送位置")
    await drv.tap(RESIDENT, "不发位置", "请确认")
    await drv.tap(RESIDENT, "提交", "已提交")
    card = await drv.said(STAFF, "漏水💧💧")
    assert "内容过长，已截断" in card["text"] and card["reply_markup"]["inline_keyboard"]
    await drv.said(STAFF_GROUP, "漏水💧💧")
    assert await refusals_after_stop(drv) == []


async def test_staff_reply_relays_both_ways(drv: Driver, cast_api: FakeBotApi) -> None:
    await join(drv)
    api = cast_api
    await report(drv, RESIDENT, "电梯", "2号楼电梯异响")
    card = await drv.linked(STAFF, await drv.said(STAFF, "2号楼电梯异响"))
    await drv.said(STAFF_GROUP, "2号楼电梯异响")
    # a reply to the card is relayed to the resident
    api.send_text(STAFF, "明早九点派人检修", reply_to_message_id=card["message_id"])
    relayed = await drv.linked(RESIDENT, await drv.said(RESIDENT, "明早九点派人检修"))
    # the resident answers by replying to that message
    api.send_text(RESIDENT, "好的谢谢", reply_to_message_id=relayed["message_id"])
    await drv.said(STAFF, "好的谢谢")
    # a message in the ticket's forum topic is relayed too
    thread = api.topics(STAFF_GROUP)[0]["message_thread_id"]
    api.send_text(STAFF, "师傅已到现场", chat_id=STAFF_GROUP, message_thread_id=thread)
    await drv.said(RESIDENT, "师傅已到现场")


async def test_not_responsible_reroutes_to_community(drv: Driver) -> None:
    await join(drv)
    number = await report(drv, RESIDENT, "停车", "门口僵尸车")
    assert number in (await drv.said(STAFF, "门口僵尸车"))["text"]
    await drv.tap(STAFF, "退回", "请选择退回原因")
    await drv.tap(STAFF, "不属物业职责", "不属本单位职责的原因")
    await drv.say(STAFF, "路面停车由社区管理", "确认将工单")
    await drv.tap(STAFF, "确认转交", "已转社区处理")
    card = await drv.said(COMMUNITY, "门口僵尸车")
    assert number in card["text"]
    await drv.said(RESIDENT, "兴谷园社区")
    assert await refusals_after_stop(drv) == []


async def test_old_compound_goes_to_community(drv: Driver) -> None:
    await drv.say(COMMUNITY, f"/start inv_{await invite(drv.db_url, 'community', 'BH-TY')}", "已加入")
    await drv.say(OLD_RESIDENT, "/start c_TYXC", "欢迎加入")
    await drv.tap(OLD_RESIDENT, "跳过", "居民可用命令")
    number = await report(drv, OLD_RESIDENT, "漏水", "楼道水管破裂")
    card = await drv.said(COMMUNITY, "楼道水管破裂")
    assert number in card["text"] and "桃园新村" in card["text"]


async def test_restart_in_the_middle_of_a_report(drv: Driver, cast_api: FakeBotApi) -> None:
    api = cast_api
    await join(drv)
    await drv.say(RESIDENT, "/report", "请选择问题类别")
    await drv.tap(RESIDENT, "供暖", "请用文字描述")
    await drv.stop()
    # written while the bot is down: delivered when it comes back
    api.send_text(RESIDENT, "暖气片不热，室温只有15度")
    await drv.start()
    await drv.said(RESIDENT, "可以发送照片")
    await drv.tap(RESIDENT, "照片已发完", "可以发送位置")
    await drv.stop()
    await drv.start()
    await drv.tap(RESIDENT, "不发位置", "请确认")
    done = await drv.tap(RESIDENT, "提交", "已提交")
    assert NUMBER.search(done["text"])
    assert "暖气片不热" in (await drv.said(STAFF, "暖气片不热"))["text"]


async def test_redelivered_update_is_handled_once(drv: Driver, cast_api: FakeBotApi) -> None:
    api = cast_api
    await join(drv)
    await drv.say(RESIDENT, "/report", "请选择问题类别")
    update = api.send_text(RESIDENT, "/my")
    await drv.said(RESIDENT, "您还没有工单")
    api.redeliver(update["update_id"])
    api.send_text(RESIDENT, "/help")
    await drv.said(RESIDENT, "居民可用命令")
    answers = [
        c for c in api.calls if c.method == "sendMessage" and "您还没有工单" in str(c.params.get("text"))
    ]
    assert len(answers) == 1


@pytest.mark.parametrize("adapter", ADAPTERS)
async def test_webhook_checks_the_secret(
    adapter: str, cast_api: FakeBotApi, tmp_path: Path, unused_tcp_port: int
) -> None:
    api = cast_api
    db = f"sqlite+aiosqlite:///{tmp_path / 'wh.db'}"
    await prepare_db(db)
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    s = settings_for(api, db).model_copy(
        update={
            "adapter": adapter,
            "webhook_url": url,
            "webhook_secret": SecretStr("s3cret-token"),
            "webhook_port": unused_tcp_port,
        }
    )
    rt = make_runtime(s, auto_upgrade=True)
    await rt.start()
    try:
        assert api.webhook is not None and api.webhook["url"] == url
        update = {
            "update_id": 99,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/help",
                "chat": {"id": RESIDENT, "type": "private"},
                "from": {"id": RESIDENT, "is_bot": False, "first_name": "x"},
            },
        }
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 401
            async with http.post(url, json=update) as r:
                assert r.status == 401
        assert not any(c.method == "sendMessage" for c in api.calls)
        api.send_text(RESIDENT, "/help")  # the fake delivers with the right secret
        await api.wait_for(
            lambda c: c.method == "sendMessage" and "居民可用命令" in str(c.params.get("text"))
        )
    finally:
        await rt.stop()


async def test_run_refuses_an_outdated_schema(cast_api: FakeBotApi, tmp_path: Path) -> None:
    from bot.app import SchemaOutdated

    rt = make_runtime(settings_for(cast_api, f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(SchemaOutdated):
        await rt.start()
    assert not any(c.method == "getUpdates" for c in cast_api.calls)


async def test_staff_work_inside_the_ticket_topic(drv: Driver, cast_api: FakeBotApi) -> None:
    await join(drv)
    number = await report(drv, RESIDENT, "下水", "厨房下水道堵了")
    await drv.said(STAFF_GROUP, "厨房下水道堵了")
    thread = cast_api.topics(STAFF_GROUP)[0]["message_thread_id"]
    prompt = await drv.tap(STAFF, "办结", "请输入办结说明", chat=STAFF_GROUP)
    assert prompt.get("message_thread_id") == thread  # the prompt stays in the ticket's topic
    cast_api.send_text(STAFF, "已疏通", chat_id=STAFF_GROUP, message_thread_id=thread)
    await drv.said(STAFF_GROUP, "已办结")
    resolved = await drv.said(RESIDENT, "问题解决了吗")
    assert number in resolved["text"] and "已疏通" in resolved["text"]
