"""The sandbox over HTTP: the real bot behind the fake Bot API, driven through the web
chat's JSON API as the page drives it (no browser here; see test_sandbox_browser.py)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.settings import Settings
from sandbox.fakeapi import make_png
from sandbox.run import Sandbox, run_sandbox
from storage.db import create_engine
from storage.uow import make_uow_factory
from tests.waiting import until

RESIDENT, STAFF, STREET = "resident_xgy", "staff_yjwy", "street_bh"
RESIDENT_CHAT, STAFF_CHAT, STAFF_GROUP = 7000001, 7000006, -1001000000001
Json = dict[str, Any]


def sandbox_settings(directory: Path) -> Settings:
    """Whatever the environment says: no token, this directory, Chinese."""
    return Settings(_env_file=None, bot_token=None, sandbox_dir=directory, locale="zh_CN")  # type: ignore[call-arg]


@asynccontextmanager
async def running(directory: Path, *, reset: bool = False) -> AsyncIterator[Sandbox]:
    sb = Sandbox(sandbox_settings(directory), port=0, reset=reset)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()


class Page:
    """Calls the web chat's API the way static/app.js does."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url

    async def get(self, path: str, **params: Any) -> tuple[int, Json]:
        async with self.http.get(self.url + path, params=params) as r:
            return r.status, await r.json()

    async def post(self, path: str, body: Json | aiohttp.FormData) -> tuple[int, Json]:
        kw: Json = {"data": body} if isinstance(body, aiohttp.FormData) else {"json": body}
        async with self.http.post(self.url + path, **kw) as r:
            return r.status, await r.json()

    async def messages(self, who: str, chat: int) -> list[Json]:
        status, body = await self.get("/api/messages", **{"as": who, "chat": chat})
        assert status == 200, body
        return list(body["result"]["messages"])

    async def wait_bot(self, who: str, chat: int, part: str, timeout: float = 10.0) -> Json:
        """The latest bot message in the chat containing ``part`` (waits for it)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for m in reversed(await self.messages(who, chat)):
                if m["bot"] and part in m["text"]:
                    return m
            if loop.time() > deadline:
                texts = [m["text"][:60] for m in await self.messages(who, chat)]
                raise AssertionError(f"no bot message with {part!r} in {texts}")
            await asyncio.sleep(0.05)

    async def send(self, who: str, chat: int, text: str) -> tuple[int, Json]:
        return await self.post("/api/text", {"as": who, "chat": chat, "text": text})

    async def press(self, who: str, m: Json, label: str) -> Json | None:
        data = next(b["data"] for row in m["buttons"] for b in row if label in b["text"])
        status, body = await self.post(
            "/api/press", {"as": who, "chat": m["chat"], "message_id": m["id"], "data": data}
        )
        assert status == 200, body
        return body["result"]["answer"]  # type: ignore[no-any-return]

    async def photo(self, who: str, chat: int, data: bytes, name: str = "leak.png") -> tuple[int, Json]:
        form = aiohttp.FormData()
        form.add_field("as", who)
        form.add_field("chat", str(chat))
        form.add_field("photo", data, filename=name, content_type="application/octet-stream")
        return await self.post("/api/photo", form)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running(tmp_path / "sandbox") as sb:
        yield sb


@pytest.fixture
async def page(sandbox: Sandbox) -> AsyncIterator[Page]:
    async with aiohttp.ClientSession() as http:
        yield Page(http, sandbox.url)


async def start_report(page: Page, too_long: bool = False) -> Json:
    """As the resident: /report → leak → description; returns the "send photos" prompt.
    ``too_long``: first try a 5000-character description, which the bot refuses."""
    await page.send(RESIDENT, RESIDENT_CHAT, "/report")
    assert (
        await page.press(RESIDENT, await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请选择问题类别"), "漏水")
        is None
    )
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请用文字描述问题")
    if too_long:
        await page.send(RESIDENT, RESIDENT_CHAT, "漏" * 5000)
        refused = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "描述太长了")
        assert refused["text"] == "描述太长了（5000 字），请控制在 2000 字以内。"
    await page.send(RESIDENT, RESIDENT_CHAT, "厨房天花板漏水，楼上卫生间渗下来的")
    return await page.wait_bot(RESIDENT, RESIDENT_CHAT, "可以发送照片")


async def test_loopback_only_and_demo_people_joined(sandbox: Sandbox, page: Page) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:") and sandbox.api.base_url.startswith(
        "http://127.0.0.1:"
    )
    async with page.http.get(sandbox.url + "/") as r:
        html = await r.text()
    assert r.status == 200 and "共治 · 本地沙盒" in html and "王秀兰" in html and "何志刚" in html
    _, staff = await page.get("/api/chats", **{"as": STAFF})
    assert [(c["id"], c["forum"]) for c in staff["result"]] == [(STAFF_CHAT, False), (STAFF_GROUP, True)]
    assert staff["result"][1]["title"] == "宜居物业服务有限公司 工作群"
    _, resident = await page.get("/api/chats", **{"as": RESIDENT})
    assert [c["id"] for c in resident["result"]] == [RESIDENT_CHAT]
    engine = create_engine(sandbox.database_url)
    try:
        async with make_uow_factory(engine)() as uow:
            acc = await uow.accounts.by_identity("telegram", str(RESIDENT_CHAT))
            compound = await uow.org.by_code("XGY")
            assert acc is not None and acc.id is not None and compound is not None and compound.id is not None
            res = await uow.accounts.residency(acc.id, compound.id)
            assert res is not None and res.unit_confirmed and res.unit_id is not None
            street = await uow.accounts.by_identity("telegram", "7000013")
            assert street is not None and street.display_name == "何志刚"
            assert [g.role for g in await uow.accounts.grants(street.id or 0)] == ["street"]
    finally:
        await engine.dispose()


async def test_unknown_person_and_foreign_chat_get_clear_pages(page: Page) -> None:
    async with page.http.get(page.url + "/", params={"as": "nobody"}) as r:
        html = await r.text()
    assert r.status == 404 and "没有这位演示人员：“nobody”。" in html and 'href="/?as=resident_xgy"' in html
    assert "Traceback" not in html
    async with page.http.get(page.url + "/", params={"as": "nobody", "lang": "en"}) as r:
        assert r.status == 404 and "There is no demo person “nobody”." in await r.text()
    assert await page.get("/api/chats", **{"as": "nobody"}) == (
        404,
        {"ok": False, "error": "没有这位演示人员：“nobody”。"},
    )
    status, body = await page.get("/api/messages", **{"as": RESIDENT, "chat": STAFF_GROUP})
    assert (status, body["error"]) == (403, "这个对话不存在，或者您不在这个对话里。")
    status, body = await page.get("/api/messages", **{"as": RESIDENT, "chat": "abc"})
    assert (status, body["error"]) == (400, "请求无效，请刷新页面后重试。")
    async with page.http.get(page.url + "/no/such/page") as r:
        assert r.status == 404 and "页面不存在。" in await r.text()
    async with page.http.post(
        page.url + "/api/text", data="{not json", headers={"Content-Type": "application/json"}
    ) as r:
        assert (r.status, await r.json()) == (400, {"ok": False, "error": "请求无效，请刷新页面后重试。"})


async def test_text_reaches_the_bot_and_lang_switches_its_language(sandbox: Sandbox, page: Page) -> None:
    _, before = await page.get("/api/messages", **{"as": RESIDENT, "chat": RESIDENT_CHAT})
    seq = before["result"]["seq"]
    status, body = await page.send(RESIDENT, RESIDENT_CHAT, "/start")
    assert status == 200 and body["result"]["text"] == "/start"
    assert sandbox.api.messages(RESIDENT_CHAT)[0]["text"] == "/start"  # it went through the fake
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, "您好，王秀兰！")
    # the live feed (long poll) carries the new messages to this person only
    _, feed = await page.get("/api/events", **{"as": RESIDENT, "since": seq, "wait": 5})
    texts = [e["message"]["text"] for e in feed["result"]["events"] if e["type"] == "message"]
    assert texts[0] == "/start" and any("您好，王秀兰！" in x for x in texts)
    _, other = await page.get("/api/events", **{"as": "resident_lhy", "since": seq, "wait": 0})
    assert other["result"]["events"] == []
    await page.send(RESIDENT, RESIDENT_CHAT, "/lang")
    choose = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请选择语言")
    await page.press(RESIDENT, choose, "English")
    edited = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "Language set to English.")
    assert edited["id"] == choose["id"] and edited["edited"] and "buttons" not in edited
    await page.send(RESIDENT, RESIDENT_CHAT, "/help")
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, "📋 Commands for residents:")


async def test_report_with_photo_and_location_reaches_the_staff_topic(sandbox: Sandbox, page: Page) -> None:
    await start_report(page)
    status, sent = await page.photo(RESIDENT, RESIDENT_CHAT, make_png(40, 30))
    assert status == 200 and sent["result"]["photo"]
    async with page.http.get(f"{page.url}/api/file/{sent['result']['photo']}") as r:
        assert r.status == 200 and (await r.read()).startswith(b"\x89PNG")
    got = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "已收到第 1 张照片")
    await page.press(RESIDENT, got, "照片已发完")
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, "可以发送位置")
    status, loc = await page.post("/api/location", {"as": RESIDENT, "chat": RESIDENT_CHAT})
    assert status == 200 and loc["result"]["location"] == [40.1412, 117.1205]  # 兴谷园小区
    review = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请确认")
    assert "照片：1 张" in review["text"] and "位置：是" in review["text"]
    await page.press(RESIDENT, review, "提交")
    number = re.search(r"PG-\d{4}-\d{6}", (await page.wait_bot(RESIDENT, RESIDENT_CHAT, "已提交"))["text"])
    assert number is not None
    card = await page.wait_bot(STAFF, STAFF_CHAT, f"📌 工单 {number[0]}（待受理）")
    topic_card = await page.wait_bot(STAFF, STAFF_GROUP, f"📌 工单 {number[0]}（待受理）")
    _, chats = await page.get("/api/chats", **{"as": STAFF})
    topics = chats["result"][1]["topics"]
    assert [tp["name"] for tp in topics] == [f"{number[0]} 漏水/渗水"] and topic_card["thread"] == topics[0][
        "id"
    ]
    in_topic = [m for m in await page.messages(STAFF, STAFF_GROUP) if m["thread"] == topics[0]["id"]]
    # the photo comes captioned with the ticket's number, right before the card
    assert any(m.get("photo") and f"📷 工单 {number[0]} 的照片" in m["text"] for m in in_topic)
    assert await page.press(STAFF, card, "受理") == {"text": f"已受理 {number[0]}", "alert": False}
    acked = await page.wait_bot(STAFF, STAFF_CHAT, f"📌 工单 {number[0]}（已受理）")
    assert acked["id"] == card["id"] and acked["edited"]
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, f"您的工单 {number[0]} 已受理")
    # writing in the ticket's topic reaches the resident through the bot
    status, said = await page.post(
        "/api/text", {"as": STAFF, "chat": STAFF_GROUP, "thread": topics[0]["id"], "text": "师傅下午两点上门"}
    )
    assert status == 200 and said["result"]["thread"] == topics[0]["id"]
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, f"💬 工单 {number[0]} 工作人员：师傅下午两点上门")


async def test_bad_input_gets_clear_replies_and_changes_nothing(sandbox: Sandbox, page: Page) -> None:
    before = len(sandbox.api.messages(RESIDENT_CHAT))
    for text in ("", "   \n "):
        assert await page.send(RESIDENT, RESIDENT_CHAT, text) == (
            400,
            {"ok": False, "error": "消息不能为空。"},
        )
    status, body = await page.send(RESIDENT, RESIDENT_CHAT, "长" * 10_001)
    assert (status, body["error"]) == (400, "消息太长了（10001 字），网页最多发送 10000 字。")
    status, body = await page.photo(RESIDENT, RESIDENT_CHAT, b"not an image", "notes.txt")
    assert (status, body["error"]) == (400, "请选择一张图片（JPEG、PNG、GIF、WEBP 或 BMP）。")
    assert len(sandbox.api.messages(RESIDENT_CHAT)) == before  # nothing reached the chat
    photos_prompt = await start_report(page, too_long=True)
    status, sent = await page.photo(RESIDENT, RESIDENT_CHAT, make_png())
    assert status == 200
    received = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "已收到第 1 张照片")
    await page.press(RESIDENT, received, "照片已发完")
    await page.wait_bot(RESIDENT, RESIDENT_CHAT, "可以发送位置")
    # the first "photos done" button is stale now: a quiet answer, and the button leaves
    assert await page.press(RESIDENT, photos_prompt, "照片已发完") == {
        "text": "这个按钮已过期，请重新操作。",
        "alert": False,
    }
    await until(
        lambda: (
            not any(
                m["message_id"] == photos_prompt["id"] and m.get("reply_markup")
                for m in sandbox.api.messages(RESIDENT_CHAT)
            )
        ),
        what="the spent button left its message",
    )
    status, body = await page.post(
        "/api/press", {"as": RESIDENT, "chat": RESIDENT_CHAT, "message_id": 9999, "data": "rp:done"}
    )
    assert (status, body["error"]) == (400, "请求无效，请刷新页面后重试。")
    status, body = await page.post("/api/location", {"as": STREET, "chat": RESIDENT_CHAT})
    assert (status, body["error"]) == (403, "这个对话不存在，或者您不在这个对话里。")
    await page.post("/api/location", {"as": RESIDENT, "chat": RESIDENT_CHAT})  # the draft went on as before
    review = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请确认")
    assert "描述：厨房天花板漏水" in review["text"] and "照片：1 张" in review["text"]


async def test_restart_keeps_conversations_and_reset_starts_clean(tmp_path: Path) -> None:
    directory = tmp_path / "sandbox"
    async with running(directory) as sb, aiohttp.ClientSession() as http:
        page = Page(http, sb.url)
        await start_report(page)
        status, sent = await page.photo(RESIDENT, RESIDENT_CHAT, make_png(8, 6))
        received = await page.wait_bot(RESIDENT, RESIDENT_CHAT, "已收到第 1 张照片")
        history = [m["text"] for m in await page.messages(RESIDENT, RESIDENT_CHAT)]
    async with running(directory) as sb, aiohttp.ClientSession() as http:
        page = Page(http, sb.url)
        assert [m["text"] for m in await page.messages(RESIDENT, RESIDENT_CHAT)] == history
        async with http.get(f"{sb.url}/api/file/{sent['result']['photo']}") as r:
            assert r.status == 200 and await r.read() == make_png(8, 6)
        await page.press(RESIDENT, received, "照片已发完")  # the draft report continues
        await page.wait_bot(RESIDENT, RESIDENT_CHAT, "可以发送位置")
        await page.post("/api/location", {"as": RESIDENT, "chat": RESIDENT_CHAT})
        assert "照片：1 张" in (await page.wait_bot(RESIDENT, RESIDENT_CHAT, "请确认"))["text"]
        ids = [m["id"] for m in await page.messages(RESIDENT, RESIDENT_CHAT)]
        assert ids == sorted(set(ids))
    async with running(directory, reset=True) as sb, aiohttp.ClientSession() as http:
        page = Page(http, sb.url)
        assert await page.messages(RESIDENT, RESIDENT_CHAT) == []
        assert sb.api.world.next_update_id == 700_000_001  # a fresh fake, a fresh database
        await page.send(RESIDENT, RESIDENT_CHAT, "/my")
        await page.wait_bot(RESIDENT, RESIDENT_CHAT, "您还没有工单")


async def test_unreadable_chat_history_is_set_aside(tmp_path: Path) -> None:
    directory = tmp_path / "sandbox"
    (directory / "fake").mkdir(parents=True)
    (directory / "fake" / "state.json").write_text("{truncated", encoding="utf-8")
    async with running(directory) as sb, aiohttp.ClientSession() as http:
        page = Page(http, sb.url)
        assert await page.messages(RESIDENT, RESIDENT_CHAT) == []
        await page.send(RESIDENT, RESIDENT_CHAT, "/start")
        await page.wait_bot(RESIDENT, RESIDENT_CHAT, "您好，王秀兰！")
    assert (directory / "fake" / "state.json.bad").read_text(encoding="utf-8") == "{truncated"
    assert "您好，王秀兰！" in (directory / "fake" / "state.json").read_text(encoding="utf-8")


async def test_refuses_to_run_beside_a_real_token(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = sandbox_settings(tmp_path / "sb").model_copy(update={"bot_token": SecretStr("1:real")})
    assert await run_sandbox(settings, reset=False, port=0) == 2
    assert "已设置 GONGZHI_BOT_TOKEN：沙盒只在未设置令牌时运行" in capsys.readouterr().out
    with pytest.raises(ValueError):
        Sandbox(settings)
    assert not (tmp_path / "sb").exists()


async def test_busy_port_gets_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert await run_sandbox(sandbox_settings(tmp_path / "sb"), reset=False, port=port) == 1
    out = capsys.readouterr().out
    assert f"无法监听 127.0.0.1:{port}" in out and "GONGZHI_SANDBOX_PORT" in out and "已启动" not in out


async def test_gongzhi_run_without_token_starts_the_sandbox(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGZHI_")}
    env.update(GONGZHI_SANDBOX_DIR=str(tmp_path / "sb"), PYTHONUNBUFFERED="1")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--port",
        "0",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not any("http://127.0.0.1:" in x for x in lines):
            line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
            assert line, f"gongzhi exited early: {lines}"
            lines.append(line)
        url = re.search(r"http://127\.0\.0\.1:\d+", "".join(lines))
        assert url is not None and "未设置 GONGZHI_BOT_TOKEN：启动本地沙盒" in lines[0]
        async with aiohttp.ClientSession() as http, http.get(url[0] + "/") as r:
            assert r.status == 200 and "王秀兰" in await r.text()
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(proc.stdout.read(), 30)).decode()
        code = await proc.wait()
    assert code == 0 and "沙盒已停止，对话已保存。" in rest
    assert (tmp_path / "sb" / "sandbox.db").exists() and (tmp_path / "sb" / "fake" / "state.json").exists()


async def test_command_bar_offers_each_role_its_commands(sandbox: Sandbox, page: Page) -> None:
    _, chats = await page.get("/api/chats", **{"as": STREET})
    chat = next(c for c in chats["result"] if c["private"])["id"]
    await page.send(STREET, chat, "/start")
    await page.wait_bot(STREET, chat, "工作台")  # a worker's greeting, not the resident pitch
    _, chats = await page.get("/api/chats", **{"as": STREET})
    bar = next(c for c in chats["result"] if c["private"])["commands"]
    assert {"/stats", "/digest"} <= set(bar) and "/report" not in bar
    assert not any("报事报修" in m["text"] for m in await page.messages(STREET, chat) if m["bot"])
