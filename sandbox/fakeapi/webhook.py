"""Delivers queued updates to a webhook set on 127.0.0.1/localhost, retrying like Telegram.

Non-local webhook URLs are only recorded (the fake never leaves the machine).  Each update
is POSTed as JSON with ``X-Telegram-Bot-Api-Secret-Token`` when a secret was set; any
non-2xx answer or connection error keeps the update queued and it is sent again (same
``update_id``) after ``retry_delay`` seconds.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp

from sandbox.fakeapi.account import AccountMethods
from sandbox.fakeapi.state import World


class WebhookDeliverer:
    def __init__(self, world: World, account: AccountMethods, retry_delay: float = 0.5) -> None:
        self.world = world
        self.account = account
        self.retry_delay = retry_delay
        self.deliveries: list[dict[str, Any]] = []

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
            while not self.account.closing:
                hook = self.account.webhook
                updates = self.world.peek_updates(1) if hook.get("url") and hook.get("local") else []
                if not updates:
                    await self.world.updates_changed.wait(1.0)
                    continue
                if not await self._deliver(session, hook, updates[0]):
                    await self.world.updates_changed.wait(self.retry_delay)

    async def _deliver(
        self, session: aiohttp.ClientSession, hook: dict[str, Any], update: dict[str, Any]
    ) -> bool:
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook.get("secret_token") else {}
        )
        error = ""
        try:
            async with session.post(hook["url"], json=update, headers=headers) as resp:
                status = resp.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, error = 0, f"Connection failed: {exc!r}"
        self.deliveries.append({"update_id": update["update_id"], "status": status, "error": error or None})
        if error:
            hook["last_error_date"], hook["last_error_message"] = int(time.time()), error
            return False
        uid = update["update_id"]
        self.world.pending = [p for p in self.world.pending if p.update["update_id"] != uid]
        return True
