"""Webhook mode for any Telegram adapter: the update kinds we ask for, the webhook secret
rule, and a small aiohttp endpoint that checks ``X-Telegram-Bot-Api-Secret-Token`` (the PTB
runtime uses it; aiogram brings its own request handler)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.monitor import Monitor
from bot.settings import Settings

ALLOWED_UPDATES = ["message", "callback_query"]
WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]


def webhook_secret(settings: Settings) -> str:
    """The webhook secret; webhook mode without one is refused."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise ValueError("GONGZHI_WEBHOOK_SECRET is required in webhook mode")
    return secret


async def serve_webhook(
    settings: Settings,
    on_update: OnUpdate,
    path: str = WEBHOOK_PATH,
    *,
    accepting: Callable[[], bool] = lambda: True,
    monitor: Monitor | None = None,
) -> web.AppRunner:
    """An aiohttp server on settings.webhook_listen:webhook_port answering POST ``path``:
    401 without the right secret header, 503 once the bot stops taking updates (``accepting``
    false: Telegram delivers it again later, to this or another process), 400 for a body that
    is not a JSON object, else the update is handled by ``on_update`` and then answered 200 (a
    failure answers 500, so it comes again). ``monitor`` adds /healthz and /metrics. Stop it
    with ``runner.cleanup()``."""
    secret = webhook_secret(settings)

    async def handle(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=401, text="Unauthorized")
        if not accepting():
            return web.Response(status=503, text="Shutting down", headers={"Retry-After": "1"})
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400, text="Bad Request")
        if not isinstance(data, dict):
            return web.Response(status=400, text="Bad Request")
        await on_update(data)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post(path, handle)
    if monitor is not None:
        monitor.add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
