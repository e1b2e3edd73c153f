"""Which runtime runs the bot: settings.adapter (GONGZHI_ADAPTER) is "aiogram" (the default)
or "ptb" (python-telegram-bot). The CLI, the sandbox and the tests start a bot through
make_runtime and use only what Runtime declares."""

from __future__ import annotations

from typing import Any, Protocol

from bot.app import Core
from bot.logsafe import quiet_libraries, redact_secrets
from bot.outbox import OutboxSender
from bot.settings import Settings

ADAPTERS = ("aiogram", "ptb")


class Runtime(Protocol):
    """What the CLI, the sandbox and the tests use of a running bot."""

    core: Core | None

    @property
    def sender(self) -> OutboxSender: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def run_forever(self) -> None: ...


def make_runtime(settings: Settings, **kw: Any) -> Runtime:
    """AiogramRuntime or PtbRuntime; keyword arguments (clock, auto_upgrade, scheduler) go to
    its constructor."""
    quiet_libraries()
    if settings.bot_token is not None:
        redact_secrets(settings.bot_token.get_secret_value())
    adapter = settings.adapter.strip().lower()
    if adapter == "aiogram":
        # imported when chosen: aiogram and its Bot API models (built when first used,
        # bot/adapters/aiogram_models.py) are memory a bot on the other adapter does not need
        from bot.adapters.aiogram_runtime import AiogramRuntime

        return AiogramRuntime(settings, **kw)
    if adapter == "ptb":
        # python-telegram-bot is an optional extra (`pip install gongzhi[ptb]`): imported only
        # when chosen, so an install without it still runs the aiogram runtime.
        from bot.adapters.ptb_runtime import PtbRuntime

        return PtbRuntime(settings, **kw)
    raise ValueError(
        f"unknown adapter {settings.adapter!r} (GONGZHI_ADAPTER): choose one of {', '.join(ADAPTERS)}"
    )
