"""Pick the bot runtime for settings.adapter: "aiogram" (default) or "ptb"."""
from __future__ import annotations

from typing import Any, Protocol

from bot.app import Core
from bot.outbox import OutboxSender
from bot.settings import Settings

ADAPTERS = ("aiogram", "ptb")


class Runtime(Protocol):
    """What the CLI and the tests use of a running bot."""

    core: Core | None

    @property
    def sender(self) -> OutboxSender: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run_forever(self) -> None: ...


def make_runtime(settings: Settings, **kw: Any) -> Runtime:
    """BotRuntime (aiogram) or PtbRuntime (python-telegram-bot); keyword arguments
    (clock, auto_upgrade, scheduler) go to its constructor. Each library is imported only
    when chosen."""
    adapter = settings.adapter.strip().lower()
    if adapter == "aiogram":
        from bot.runtime import BotRuntime

        return BotRuntime(settings, **kw)
    if adapter == "ptb":
        from bot.adapters.ptb_adapter import PtbRuntime

        return PtbRuntime(settings, **kw)
    raise ValueError(f"unknown adapter {settings.adapter!r} (GONGZHI_ADAPTER): "
                     f"choose one of {', '.join(ADAPTERS)}")
