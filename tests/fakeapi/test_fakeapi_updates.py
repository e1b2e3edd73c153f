"""Updates (long poll, offsets, redelivery, webhook), flood limits and the /_fake control API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiohttp import ClientSession, FormData, web

from sandbox.fakeapi import FakeBotApi, Limits, ManualClock, make_png
from tests.waiting import until

USER, OTHER = 1001, 1002  # chats created by the api fixture in conftest.py
FORUM, GROUP = -1001000000001, -1001000000002


async def test_long_poll_returns_injected_update_promptly(abot: Bot, api: FakeBotApi) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(abot.get_updates(timeout=10))
    await until(lambda: api.world.updates_changed.waiting > 0, what="the long poll")
    api.send_text(USER, "/start inv_abc")
    updates = await asyncio.wait_for(poll, 2)
    assert loop.time() - started < 1.5
    [update] = updates
    msg = update.message
    assert msg and msg.text == "/start inv_abc" and msg.from_user and msg.from_user.id == USER
    assert msg.entities and (msg.entities[0].type, msg.entities[0].length) == ("bot_command", 6)


async def test_offset_confirms_and_redelivery(abot: Bot, api: FakeBotApi) -> None:
    first = api.send_text(USER, "one")["update_id"]
    api.send_text(USER, "two")
    assert [u.update_id for u in await abot.get_updates()] == [first, first + 1]
    assert [u.update_id for u in await abot.get_updates()] == [first, first + 1]  # not confirmed yet
    assert [u.update_id for u in await abot.get_updates(offset=first + 1)] == [first + 1]
    assert await abot.get_updates(offset=first + 2, timeout=0) == []
    api.redeliver(first)  # same update again, as Telegram does after an error
    [again] = await abot.get_updates(offset=first + 2)
    assert again.update_id == first and again.message and again.message.text == "one"
    assert await abot.get_updates(offset=first + 2) == []


async def test_limit_and_negative_offset(abot: Bot, api: FakeBotApi) -> None:
    ids = [api.send_text(USER, str(i))["update_id"] for i in range(5)]
    assert [u.update_id for u in await abot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await abot.get_updates(offset=-1)] == ids[-1:]


async def test_second_poller_terminates_first(abot: Bot, api: FakeBotApi) -> None:
    first = asyncio.create_task(abot.get_updates(timeout=5))
    await until(lambda: api.world.updates_changed.waiting > 0, what="the first long poll")
    second = asyncio.create_task(abot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 2)
    api.send_text(USER, "hi")
    assert len(await asyncio.wait_for(second, 2)) == 1


async def test_webhook_blocks_get_updates_and_delivers(abot: Bot, api: FakeBotApi) -> None:
    received: list[tuple[int, str | None]] = []
    answers = iter([500, 200, 200])

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=next(answers))

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        api.webhooks.retry_delay = 0.05
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await abot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await abot.get_updates()
        uid = api.send_text(USER, "报修")["update_id"]
        await until(lambda: len(received) >= 2, what="the redelivery")
        assert received == [(uid, "s3cret"), (uid, "s3cret")]  # redelivered after the 500
        info = await abot.get_webhook_info()
        assert info.url == url and info.pending_update_count == 0 and "500" in (info.last_error_message or "")
        assert await abot.delete_webhook() and await abot.get_updates() == []
    finally:
        await runner.cleanup()


async def test_aiogram_dispatcher_end_to_end(abot: Bot, api: FakeBotApi) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(f"欢迎 {message.from_user.first_name if message.from_user else ''}")

    polling = asyncio.create_task(
        dp.start_polling(abot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        api.send_text(USER, "/start")
        call = await api.wait_for(lambda c: c.method == "sendMessage" and c.ok)
        assert call.params["chat_id"] == USER and call.result["text"] == "欢迎 Li Wei"
        assert api.last_bot_message(USER)["text"] == "欢迎 Li Wei"  # type: ignore[index]
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)


# ---- flood limits ---------------------------------------------------------------------------


@pytest.fixture
async def limited() -> AsyncIterator[tuple[FakeBotApi, ManualClock]]:
    clock = ManualClock()
    fake = FakeBotApi(limits=Limits(), clock=clock)
    for uid in range(1, 41):
        fake.add_user(uid, f"u{uid}")
    fake.add_group(GROUP, "Residents")
    yield fake, clock


async def send(fake: FakeBotApi, chat_id: int) -> tuple[int, dict[str, object]]:
    return await fake.dispatch("sendMessage", {"chat_id": chat_id, "text": "x"})


async def test_private_chat_limit_allows_burst_then_429(limited: tuple[FakeBotApi, ManualClock]) -> None:
    fake, clock = limited
    assert [(await send(fake, 1))[0] for _ in range(3)] == [200, 200, 200]
    status, body = await send(fake, 1)
    assert status == 429 and body["parameters"] == {"retry_after": 3}
    assert body["description"] == "Too Many Requests: retry after 3" and fake.count_429 == 1
    assert (await send(fake, 2))[0] == 200  # other chats are unaffected
    clock.advance(3)
    assert (await send(fake, 1))[0] == 200


async def test_group_limit_20_per_minute(limited: tuple[FakeBotApi, ManualClock]) -> None:
    fake, clock = limited
    for _ in range(20):
        assert (await send(fake, GROUP))[0] == 200
        clock.advance(1)
    status, body = await send(fake, GROUP)
    assert status == 429 and body["parameters"]["retry_after"] == 40  # type: ignore[index]
    clock.advance(40)
    assert (await send(fake, GROUP))[0] == 200


async def test_global_limit_30_per_second(limited: tuple[FakeBotApi, ManualClock]) -> None:
    fake, clock = limited
    assert [(await send(fake, uid))[0] for uid in range(1, 31)] == [200] * 30
    assert (await send(fake, 31))[0] == 429
    clock.advance(1)
    assert (await send(fake, 31))[0] == 200


async def test_respected_limits_never_429(limited: tuple[FakeBotApi, ManualClock]) -> None:
    fake, clock = limited
    for _ in range(10):  # 1 msg/s to each of 25 users, plus a group message every 3 s
        for uid in range(1, 26):
            assert (await send(fake, uid))[0] == 200
        if int(clock.now) % 3 == 0:
            assert (await send(fake, GROUP))[0] == 200
        clock.advance(1)
    assert fake.count_429 == 0
    fake.limits = None
    assert [(await send(fake, 1))[0] for _ in range(50)] == [200] * 50


# ---- /_fake control API -----------------------------------------------------------------------


async def test_control_http_api(api: FakeBotApi, abot: Bot) -> None:
    base = f"{api.base_url}/_fake"
    async with ClientSession() as http:
        async with http.get(f"{base}/chats") as resp:
            chats = (await resp.json())["result"]["chats"]
        assert {c["chat"]["id"] for c in chats} == {USER, OTHER, FORUM, GROUP}

        async with http.post(f"{base}/send_text", json={"user_id": USER, "text": "/report"}) as resp:
            update = (await resp.json())["result"]
        assert update["message"]["text"] == "/report"

        seq = api.world.seq
        waiting = asyncio.create_task(http.get(f"{base}/events?since={seq}&chat_id={USER}&wait=5"))
        await until(lambda: api.world.events_changed.waiting > 0, what="the events long poll")
        sent = await abot.send_message(USER, "请描述问题")
        async with await asyncio.wait_for(waiting, 2) as resp:
            events = (await resp.json())["result"]["events"]
        assert [(e["type"], e["message"]["text"]) for e in events] == [("message", "请描述问题")]

        form = FormData()
        form.add_field("user_id", str(USER))
        form.add_field("caption", "照片")
        form.add_field("photo", make_png(4, 4), filename="p.png", content_type="image/png")
        async with http.post(f"{base}/send_photo", data=form) as resp:
            photo = (await resp.json())["result"]["message"]["photo"]
        async with http.get(f"{base}/file/{photo[-1]['file_id']}") as resp:
            assert resp.content_type == "image/png" and await resp.read() == make_png(4, 4)

        async with http.post(
            f"{base}/send_location", json={"user_id": USER, "latitude": 40.1, "longitude": 117.1}
        ) as resp:
            assert (await resp.json())["result"]["message"]["location"]["latitude"] == 40.1
        async with http.post(
            f"{base}/press_button",
            json={"user_id": USER, "message_id": sent.message_id, "callback_data": "t:1"},
        ) as resp:
            query = (await resp.json())["result"]["callback_query"]
        assert query["message"]["text"] == "请描述问题"

        async with http.get(f"{base}/messages", params={"chat_id": str(USER)}) as resp:
            history = (await resp.json())["result"]
        assert [m.get("text") for m in history] == ["/report", "请描述问题", None, None]

        async with http.post(
            f"{base}/press_button", json={"user_id": USER, "message_id": 999, "callback_data": "x"}
        ) as resp:
            assert resp.status == 400 and not (await resp.json())["ok"]
