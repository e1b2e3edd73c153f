"""Bot API methods about the bot itself: identity, updates, webhook, files, chats, commands."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from sandbox.fakeapi import validate
from sandbox.fakeapi.errors import bad_request, conflict
from sandbox.fakeapi.model import Json
from sandbox.fakeapi.params import Params, Upload
from sandbox.fakeapi.state import World

Files = dict[str, Upload]
MAX_DOWNLOAD = 20 * 1024 * 1024
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
TERMINATED = "terminated by other getUpdates request; make sure that only one bot instance is running"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class AccountMethods:
    def __init__(self, world: World) -> None:
        self.world = world
        self.webhook: Json = {}
        self.commands: dict[tuple[str, str], list[Json]] = {}
        self.default_menu_button: Json = {"type": "commands"}
        self.closing = False
        self._poller: object | None = None

    def get_me(self, p: Params, files: Files) -> Json:
        return dict(self.world.bot_user)

    async def get_updates(self, p: Params, files: Files) -> list[Json]:
        if self.webhook.get("url"):
            raise conflict(WEBHOOK_ACTIVE)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        if isinstance(p.get("allowed_updates"), list):
            self.world.allowed_updates = p["allowed_updates"]
        self.world.confirm(int(p.get("offset") or 0))
        me = self._poller = object()
        self.world.updates_changed.fire()  # terminates a concurrent long poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._poller is not me:
                raise conflict(TERMINATED)
            if self.webhook.get("url"):
                raise conflict(WEBHOOK_ACTIVE)
            updates = self.world.peek_updates(limit)
            if updates or self.closing or loop.time() >= deadline:
                if self._poller is me:
                    self._poller = None
                return updates
            await self.world.updates_changed.wait(deadline - loop.time())

    # ---- webhook --------------------------------------------------------------------------
    def set_webhook(self, p: Params, files: Files) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self.delete_webhook(p, files)
        host = re.match(r"^(https?)://([^/:]+|\[[^\]]+\])", url)
        if host is None:
            raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
        if host[1] != "https" and host[2] not in LOCAL_HOSTS:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.match(r"^[A-Za-z0-9_-]{1,256}$", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self.world.pending.clear()
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": p.get("max_connections", 40),
            "allowed_updates": p.get("allowed_updates"),
            "local": host[2] in LOCAL_HOSTS,
        }
        if isinstance(p.get("allowed_updates"), list):
            self.world.allowed_updates = p["allowed_updates"]
        self.world.updates_changed.fire()
        return True

    def delete_webhook(self, p: Params, files: Files) -> bool:
        if p.get("drop_pending_updates"):
            self.world.pending.clear()
        self.webhook = {}
        self.world.updates_changed.fire()
        return True

    def get_webhook_info(self, p: Params, files: Files) -> Json:
        info: Json = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.pending),
        }
        for key in ("max_connections", "allowed_updates", "last_error_date", "last_error_message"):
            if self.webhook.get(key) is not None:
                info[key] = self.webhook[key]
        return info

    # ---- files and chats ------------------------------------------------------------------
    def get_file(self, p: Params, files: Files) -> Json:
        stored = self.world.files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return stored.as_file()

    def get_chat(self, p: Params, files: Files) -> Json:
        chat = self.world.chat(p.get("chat_id"))
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {**chat.chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    # ---- commands and menu ----------------------------------------------------------------
    @staticmethod
    def _scope_key(p: Params) -> tuple[str, str]:
        scope: Any = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    def set_my_commands(self, p: Params, files: Files) -> bool:
        self.commands[self._scope_key(p)] = validate.commands(p.get("commands"))
        return True

    def chat_menu(self, chat_id: int) -> list[Json]:
        """The commands a client shows in a private chat: the chat's own scope, else all
        private chats, else the default (as Telegram resolves them, any language)."""
        for scope in (
            {"type": "chat", "chat_id": chat_id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ):
            for (key, _lang), commands in self.commands.items():
                if json.loads(key) == scope or (
                    scope["type"] == "chat" and json.loads(key) == {**scope, "chat_id": str(chat_id)}
                ):
                    return list(commands)
        return []

    def get_my_commands(self, p: Params, files: Files) -> list[Json]:
        return list(self.commands.get(self._scope_key(p), []))

    def delete_my_commands(self, p: Params, files: Files) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def set_chat_menu_button(self, p: Params, files: Files) -> bool:
        button = p.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in ("default", "commands", "web_app"):
            raise bad_request("can't parse menu button JSON object")
        resolved = {"type": "commands"} if button["type"] == "default" else button
        if p.get("chat_id") is None:
            self.default_menu_button = resolved
        else:
            self.world.chat(p["chat_id"]).menu_button = resolved
        return True

    def get_chat_menu_button(self, p: Params, files: Files) -> Json:
        if p.get("chat_id") is None:
            return dict(self.default_menu_button)
        return dict(self.world.chat(p["chat_id"]).menu_button or self.default_menu_button)

    def close(self, p: Params, files: Files) -> bool:
        return True

    def log_out(self, p: Params, files: Files) -> bool:
        return True
