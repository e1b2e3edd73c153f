"""Drive the real bot (aiogram runtime) through the fake Bot API server."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from bot.adapters.choice import Runtime, make_runtime
from bot.settings import Settings
from sandbox.fakeapi import FakeBotApi, make_png
from services.org_import import import_org, load_org_file
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
STAFF_GROUP = -1001000000001
RESIDENT, STAFF, COMMUNITY, OLD_RESIDENT = 7001, 7002, 7003, 7004
NUMBER = re.compile(r"PG-\d{4}-\d{6}")
ADAPTERS = ("aiogram", "ptb")


def settings_for(api: FakeBotApi, db_url: str) -> Settings:
    return Settings(
        bot_token=api.token,
        telegram_api_base=api.base_url,
        database_url=db_url,
        tick_seconds=3600,
        _env_file=None,
    )  # type: ignore[call-arg]


async def prepare_db(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    async with make_uow_factory(engine)() as uow:
        await import_org(uow, load_org_file(DEMO))
        await uow.commit()
    await engine.dispose()


async def invite(db_url: str, role: str, org: str) -> str:
    from services.accounts import create_invite
    from storage.models import Role

    engine = create_engine(db_url)
    async with make_uow_factory(engine)() as uow:
        inv = await create_invite(uow, role=Role(role), org_code=org, days=7)
        await uow.commit()
    await engine.dispose()
    return inv.code


class Driver:
    """The whole bot (aiogram or python-telegram-bot runtime) on a database file."""

    def __init__(self, api: FakeBotApi, db_url: str, adapter: str = "aiogram") -> None:
        self.api, self.db_url, self.adapter = api, db_url, adapter
        self.runtime: Runtime | None = None

    async def start(self) -> Runtime:
        s = settings_for(self.api, self.db_url).model_copy(update={"adapter": self.adapter})
        self.runtime = make_runtime(s, auto_upgrade=True)
        await self.runtime.start()
        return self.runtime

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def said(self, chat: int, contains: str, timeout: float = 20.0) -> dict[str, Any]:
        """Wait for the bot to send (or edit into) a text, or a photo caption, containing `contains`."""
        call = await self.api.wait_for(
            lambda c: (
                c.ok
                and c.method in ("sendMessage", "editMessageText", "sendPhoto")
                and str(c.params.get("chat_id")) == str(chat)
                and contains in str(c.params.get("text", c.params.get("caption", "")))
            ),
            timeout=timeout,
        )
        return dict(call.result)

    async def say(self, user: int, text: str, expect: str, **kw: Any) -> dict[str, Any]:
        self.api.send_text(user, text, **kw)
        return await self.said(kw.get("chat_id") or user, expect)

    def button(self, chat: int, label: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest button whose label contains `label`."""
        for m in reversed(self.api.messages(chat)):
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"]:
                        return m["message_id"], b["callback_data"]
        raise AssertionError(f"no button {label!r} in chat {chat}")

    async def tap(self, user: int, label: str, expect: str, chat: int | None = None) -> dict[str, Any]:
        mid, data = self.button(chat or user, label)
        self.api.press_button(user, mid, data, chat_id=chat)
        return await self.said(chat or user, expect)

    async def linked(self, chat: int, message: dict[str, Any]) -> dict[str, Any]:
        """Wait until the bot has recorded which ticket a message it sent belongs
        to: that is committed just after the send, and a reply sent within the
        same millisecond (no person is that quick) could otherwise arrive first."""
        assert self.runtime is not None and self.runtime.core is not None
        for _ in range(250):
            async with self.runtime.core.uow_factory() as uow:
                if await uow.outbox.link("telegram", str(chat), message["message_id"]) is not None:
                    return message
            await asyncio.sleep(0.02)
        raise AssertionError(f"message {message['message_id']} in {chat} was never linked to a ticket")


async def refusals_after_stop(d: Driver) -> list[str]:
    """Stop the bot (its outbox and card refreshes finish), then every answer the fake Bot
    API gave with a 4xx/429: a scenario of valid steps must produce none. Not counted: the
    long poll a stopping client has cancelled, which its last (confirming) getUpdates
    supersedes; Telegram answers it 409 too, into a closed connection."""
    stopping = len(d.api.calls)
    await d.stop()
    return [
        f"{c.method} {c.status}: {c.response.get('description')} {c.params}"
        for i, c in enumerate(d.api.calls)
        if 400 <= c.status < 500 and not (i >= stopping and c.method == "getUpdates" and c.status == 409)
    ]


async def join(d: Driver) -> None:
    """A resident of XGY with a unit, a YJWY staff member and a BH-XY community worker."""
    await d.say(RESIDENT, "/start c_XGY", "欢迎加入")
    await d.say(RESIDENT, "1-1-101", "已登记")
    await d.say(STAFF, f"/start inv_{await invite(d.db_url, 'staff', 'YJWY')}", "已加入")
    await d.say(COMMUNITY, f"/start inv_{await invite(d.db_url, 'community', 'BH-XY')}", "已加入")


async def report(d: Driver, user: int, category: str, text: str, *, photo: bool = False) -> str:
    """Walk /report with a location (and a photo); returns the ticket number."""
    await d.say(user, "/report", "请选择问题类别")
    await d.tap(user, category, "请用文字描述")
    await d.say(user, text, "可以发送照片")
    if photo:
        d.api.send_photo(user, make_png())
        await d.said(user, "已收到第 1 张照片")
    await d.tap(user, "照片已发完", "可以发送位置")
    d.api.send_location(user, 40.1412, 117.1205)
    await d.said(user, "请确认")
    done = await d.tap(user, "提交", "已提交")
    m = NUMBER.search(done["text"])
    assert m
    return m.group()
