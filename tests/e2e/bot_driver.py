"""Drive the real bot (aiogram runtime) through the fake Bot API server."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.fakeapi import FakeBotApi
from bot.runtime import BotRuntime
from bot.settings import Settings
from services.org_import import import_org, load_org_file
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory

DEMO = Path(__file__).resolve().parents[2] / "examples" / "pinggu-demo.yaml"
STAFF_GROUP = -1001000000001


def settings_for(api: FakeBotApi, db_url: str) -> Settings:
    return Settings(bot_token=api.token, telegram_api_base=api.base_url, database_url=db_url,
                    tick_seconds=3600, _env_file=None)  # type: ignore[call-arg]


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
    def __init__(self, api: FakeBotApi, db_url: str) -> None:
        self.api, self.db_url = api, db_url
        self.runtime: BotRuntime | None = None

    async def start(self) -> BotRuntime:
        self.runtime = BotRuntime(settings_for(self.api, self.db_url), auto_upgrade=True)
        await self.runtime.start()
        return self.runtime

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def said(self, chat: int, contains: str, timeout: float = 20.0) -> dict[str, Any]:
        """Wait for the bot to send (or edit into) a text containing `contains`."""
        call = await self.api.wait_for(
            lambda c: c.ok and c.method in ("sendMessage", "editMessageText")
            and str(c.params.get("chat_id")) == str(chat) and contains in str(c.params.get("text", "")),
            timeout=timeout)
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
