"""The fake Bot API driven by real aiogram and python-telegram-bot clients."""

from __future__ import annotations

import datetime as dt

import pytest
import telegram
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)

from sandbox.fakeapi import FakeBotApi, ManualClock, make_png

USER, OTHER = 1001, 1002  # chats created by the api fixture in conftest.py
FORUM, GROUP = -1001000000001, -1001000000002


def kb(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d) for t, d in pairs]]
    )


async def test_get_me(abot: Bot, api: FakeBotApi) -> None:
    me = await abot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "gongzhi_test_bot")
    assert api.calls[-1].method == "getMe" and api.calls[-1].ok


async def test_send_and_edit_inline_keyboard(abot: Bot, api: FakeBotApi) -> None:
    sent = await abot.send_message(USER, "工单 PG-1", reply_markup=kb(("受理", "t:1:ack")))
    assert sent.chat.id == USER and sent.from_user and sent.from_user.is_bot
    assert sent.reply_markup and sent.reply_markup.inline_keyboard[0][0].callback_data == "t:1:ack"
    assert api.calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "受理"

    edited = await abot.edit_message_text(
        "工单 PG-1 已受理", chat_id=USER, message_id=sent.message_id, reply_markup=kb(("完成", "t:1:done"))
    )
    assert isinstance(edited, Message) and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await abot.edit_message_text(
            "工单 PG-1 已受理",
            chat_id=USER,
            message_id=sent.message_id,
            reply_markup=kb(("完成", "t:1:done")),
        )
    await abot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id, reply_markup=None)
    state = api.messages(USER)[-1]
    assert state["text"] == "工单 PG-1 已受理" and state["edited"] and "reply_markup" not in state
    second = await abot.send_message(USER, "next")
    assert second.message_id == sent.message_id + 1


async def test_edit_text_without_markup_drops_keyboard(abot: Bot, api: FakeBotApi) -> None:
    sent = await abot.send_message(USER, "a", reply_markup=kb(("x", "x")))
    await abot.edit_message_text("b", chat_id=USER, message_id=sent.message_id)
    assert "reply_markup" not in api.last_bot_message(USER)  # type: ignore[operator]


async def test_photo_upload_file_id_and_download(abot: Bot, api: FakeBotApi) -> None:
    png = make_png(640, 480)
    sent = await abot.send_photo(USER, BufferedInputFile(png, "p.png"), caption="现场照片")
    assert sent.photo and sent.photo[-1].width == 640 and sent.caption == "现场照片"
    again = await abot.send_photo(GROUP, sent.photo[-1].file_id)
    assert again.photo and again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    file = await abot.get_file(sent.photo[-1].file_id)
    assert file.file_path and (await abot.download_file(file.file_path)).read() == png  # type: ignore[union-attr]
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await abot.send_photo(USER, "AgACnot-a-real-id")
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await abot.send_photo(USER, BufferedInputFile(b"not an image", "x.jpg"))


async def test_user_photo_can_be_fetched_with_get_file(abot: Bot, api: FakeBotApi) -> None:
    png = make_png(8, 8)
    update = api.send_photo(USER, png, caption="漏水")
    file_id = update["message"]["photo"][-1]["file_id"]
    file = await abot.get_file(file_id)
    assert file.file_path and (await abot.download_file(file.file_path)).read() == png  # type: ignore[union-attr]
    assert api.file_bytes(file_id) == png


async def test_media_group_and_location(abot: Bot, api: FakeBotApi) -> None:
    media = [
        InputMediaPhoto(media=BufferedInputFile(make_png(), f"{i}.png"), caption=f"#{i}") for i in range(2)
    ]
    msgs = await abot.send_media_group(USER, media)  # type: ignore[arg-type]
    assert len(msgs) == 2 and msgs[0].media_group_id == msgs[1].media_group_id
    loc = await abot.send_location(USER, 40.14, 117.12)
    assert loc.location and loc.location.latitude == pytest.approx(40.14)
    assert [m.get("caption") for m in api.messages(USER)] == ["#0", "#1", None]


async def test_callback_query_answer(abot: Bot, api: FakeBotApi) -> None:
    sent = await abot.send_message(USER, "choose", reply_markup=kb(("A", "a")))
    api.press_button(USER, sent.message_id, "forged-data")
    [update] = await abot.get_updates(timeout=0)
    query = update.callback_query
    assert (
        query
        and query.data == "forged-data"
        and query.message
        and query.message.message_id == sent.message_id
    )
    assert await abot.answer_callback_query(query.id, text="已受理")
    assert api.callback_answers[-1]["text"] == "已受理" and api.callback_answers[-1]["user_id"] == USER
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await abot.answer_callback_query(query.id)


async def test_callback_query_expires() -> None:
    clock = ManualClock()
    async with FakeBotApi(limits=None, clock=clock, callback_ttl=15) as fake:
        fake.add_user(USER, "Li")
        status, body = await fake.dispatch("sendMessage", {"chat_id": USER, "text": "x"})
        query = fake.press_button(USER, body["result"]["message_id"], "x")["callback_query"]
        clock.advance(16)
        status, body = await fake.dispatch("answerCallbackQuery", {"callback_query_id": query["id"]})
        assert status == 400 and "query is too old" in body["description"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"chat_id": USER, "text": " "}, "message text is empty"),
        ({"chat_id": USER, "text": "x" * 4097}, "message is too long"),
        ({"chat_id": 999, "text": "x"}, "chat not found"),
        ({"chat_id": USER, "text": "x", "reply_markup": kb(("a", "d" * 65))}, "BUTTON_DATA_INVALID"),
        ({"chat_id": USER, "text": "x", "reply_markup": kb(("a", ""))}, "BUTTON_DATA_INVALID"),
        ({"chat_id": FORUM, "text": "x", "message_thread_id": 77}, "message thread not found"),
        (
            {"chat_id": USER, "text": "x", "reply_parameters": ReplyParameters(message_id=555)},
            "message to be replied not found",
        ),
        ({"chat_id": USER, "text": "<b>x", "parse_mode": "HTML"}, "can't parse entities"),
        ({"chat_id": USER, "text": "1.5", "parse_mode": "MarkdownV2"}, "Character '.' is reserved"),
    ],
)
async def test_send_message_validation(abot: Bot, kwargs: dict[str, object], error: str) -> None:
    with pytest.raises(TelegramBadRequest, match=error):
        await abot.send_message(**kwargs)  # type: ignore[arg-type]


async def test_more_validation(abot: Bot, api: FakeBotApi) -> None:
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await abot.send_photo(USER, BufferedInputFile(make_png(), "p.png"), caption="x" * 1025)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await abot.edit_message_text("x", chat_id=USER, message_id=4242)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await abot.delete_message(USER, 4242)
    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await abot.create_forum_topic(GROUP, "PG-1")
    status, body = await api.dispatch("sendMessage", {"chat_id": USER, "text": "x", "reply_markup": "[oops"})
    assert status == 400 and body["description"] == "Bad Request: object expected as reply markup"
    status, body = await api.dispatch(
        "sendMessage", {"chat_id": USER, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "t"}]]}}
    )
    assert "Text buttons are unallowed" in body["description"]
    api.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await abot.send_message(USER, "hi")
    assert api.pending_updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"


async def test_html_becomes_entities(abot: Bot) -> None:
    msg = await abot.send_message(USER, "<b>紧急</b> &lt;3", parse_mode="HTML")
    assert msg.text == "紧急 <3" and msg.entities and msg.entities[0].type == "bold"


async def test_injected_errors_and_wrong_token(abot: Bot, api: FakeBotApi) -> None:
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as info:
        await abot.send_message(USER, "x")
    assert info.value.retry_after == 7 and api.count_429 == 1
    api.fail_next("*", 502, count=1)
    with pytest.raises(TelegramServerError):
        await abot.get_me()
    assert (await abot.send_message(USER, "ok")).text == "ok"
    wrong = Bot("999:WRONG", session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await wrong.get_me()
    finally:
        await wrong.session.close()


async def test_unknown_method_is_telegrams_404(abot: Bot, api: FakeBotApi) -> None:
    from aiohttp import ClientSession

    async with ClientSession() as http:
        async with http.post(f"{api.base_url}/bot{api.token}/sendDice", json={"chat_id": USER}) as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.get(f"{api.base_url}/bot{api.token}/getme") as resp:  # names are case-insensitive
            assert (await resp.json())["result"]["id"] == 123456
        async with http.post(f"{api.base_url}/botNOPE/getMe") as resp:
            assert resp.status == 401 and (await resp.json())["description"] == "Unauthorized"


async def test_forum_topics(abot: Bot, api: FakeBotApi) -> None:
    topic = await abot.create_forum_topic(FORUM, "PG-2026-000123 漏水")
    msg = await abot.send_message(FORUM, "新工单", message_thread_id=topic.message_thread_id)
    assert msg.message_thread_id == topic.message_thread_id and msg.is_topic_message
    staff = api.send_text(OTHER, "已派人", chat_id=FORUM, message_thread_id=topic.message_thread_id)
    assert staff["message"]["reply_to_message"]["forum_topic_created"]["name"] == topic.name
    texts = [m.get("text") for m in api.messages(FORUM, thread_id=topic.message_thread_id)]
    assert texts == [None, "新工单", "已派人"]
    assert api.events_since(0, FORUM)[-1]["type"] == "message"


async def test_commands_menu_chat(abot: Bot, api: FakeBotApi) -> None:
    assert await abot.set_my_commands([BotCommand(command="report", description="报事")])
    assert [c.command for c in await abot.get_my_commands()] == ["report"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await abot.set_my_commands([BotCommand(command="Bad-Cmd", description="x")])
    assert await abot.delete_my_commands() and await abot.get_my_commands() == []
    assert await abot.set_chat_menu_button()
    chat = await abot.get_chat(FORUM)
    assert chat.is_forum and chat.title == "Staff desk"
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await abot.get_chat(12345)
    assert await abot.close() and await abot.log_out()
    with pytest.raises(TelegramNotFound, match="method not found"):  # not implemented by the fake
        await abot.get_chat_administrators(FORUM)


async def test_python_telegram_bot(api: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB 22 warns on RetryAfter.retry_after otherwise
    base = api.base_url
    async with telegram.Bot(api.token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as bot:
        assert bot.username == "gongzhi_test_bot"
        markup = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("好", callback_data="ok")]])
        msg = await bot.send_message(USER, "你好", reply_markup=markup)
        assert (
            msg.text == "你好"
            and msg.reply_markup
            and msg.reply_markup.inline_keyboard[0][0].callback_data == "ok"
        )
        photo = await bot.send_photo(USER, make_png(), caption="c")
        file = await bot.get_file(photo.photo[-1].file_id)
        assert bytes(await file.download_as_bytearray()) == make_png()
        with pytest.raises(telegram.error.BadRequest, match="[Cc]hat not found"):
            await bot.send_message(4242, "x")
        api.fail_next("sendMessage", 429, retry_after=5)
        with pytest.raises(telegram.error.RetryAfter) as info:
            await bot.send_message(USER, "x")
        assert info.value.retry_after == dt.timedelta(seconds=5)
    assert [m.get("text") for m in api.messages(USER)] == ["你好", None]


async def test_reply_keyboard_and_private_chat_reachability(abot: Bot, api: FakeBotApi) -> None:
    from aiogram.types import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

    keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="报事"), KeyboardButton(text="我的工单")]])
    msg = await abot.send_message(USER, "请选择", reply_markup=keyboard)
    assert msg.reply_markup is None  # Telegram echoes inline keyboards only
    assert api.messages(USER)[-1]["reply_keyboard"]["keyboard"][0][1]["text"] == "我的工单"
    assert next(c for c in api.chats() if c["chat"]["id"] == USER)["reply_keyboard"] is not None
    await abot.send_message(USER, "好", reply_markup=ReplyKeyboardRemove())
    assert next(c for c in api.chats() if c["chat"]["id"] == USER)["reply_keyboard"] is None

    api.block(USER)
    api.send_text(USER, "/start")  # writing again = the user restarted the bot
    assert (await abot.send_message(USER, "欢迎回来")).text == "欢迎回来"
    api.add_user(3003, "Never Started", started=False)
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await abot.send_message(3003, "hi")
