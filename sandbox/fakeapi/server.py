"""FakeBotApi: an in-repo Telegram Bot API server for end-to-end tests and the sandbox."""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.fakeapi.account import AccountMethods
from sandbox.fakeapi.control_http import add_control_routes
from sandbox.fakeapi.errors import (
    DEFAULT_DESCRIPTIONS,
    FILE_NOT_FOUND,
    METHOD_NOT_FOUND,
    UNAUTHORIZED,
    ApiError,
)
from sandbox.fakeapi.inspection import InspectionMixin
from sandbox.fakeapi.limits import TELEGRAM_LIMITS, Limits, RateLimiter
from sandbox.fakeapi.model import Json, Signal
from sandbox.fakeapi.params import Params, Upload, read_request
from sandbox.fakeapi.sending import SendingMethods
from sandbox.fakeapi.state import World
from sandbox.fakeapi.users import UserSimulator
from sandbox.fakeapi.webhook import WebhookDeliverer

log = logging.getLogger(__name__)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Call:
    """One Bot API request as the fake answered it."""

    method: str
    params: Params
    status: int
    response: Json
    time: float
    files: dict[str, Upload] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")


class FakeBotApi(InspectionMixin, UserSimulator):
    """Telegram Bot API look-alike.  See sandbox/fakeapi/__init__.py for the overview."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        limits: Limits | None = TELEGRAM_LIMITS,
        clock: Callable[[], float] = time.monotonic,
        callback_ttl: float | None = 15.0,
        webhook_retry_delay: float = 0.5,
    ) -> None:
        self.token = token
        self.world = World(token, clock)
        super().__init__(self.world)
        self.sending = SendingMethods(self.world, callback_ttl)
        self.account = AccountMethods(self.world)
        self.webhooks = WebhookDeliverer(self.world, self.account, webhook_retry_delay)
        self.limits = limits
        self.calls: list[Call] = []
        self.error_counts: Counter[int] = Counter()
        self.internal_errors: list[BaseException] = []
        self._failures: dict[str, deque[ApiError]] = {}
        self._calls_changed = Signal()
        self._mark = 0
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._port = 0
        s, a = self.sending, self.account
        table: dict[str, Callable[[Params, dict[str, Upload]], Any]] = {
            "getMe": a.get_me,
            "getUpdates": a.get_updates,
            "setWebhook": a.set_webhook,
            "deleteWebhook": a.delete_webhook,
            "getWebhookInfo": a.get_webhook_info,
            "sendMessage": s.send_message,
            "sendPhoto": s.send_photo,
            "sendMediaGroup": s.send_media_group,
            "sendLocation": s.send_location,
            "sendChatAction": s.send_chat_action,
            "editMessageText": s.edit_message_text,
            "editMessageCaption": s.edit_message_caption,
            "editMessageReplyMarkup": s.edit_message_reply_markup,
            "deleteMessage": s.delete_message,
            "answerCallbackQuery": s.answer_callback_query,
            "createForumTopic": s.create_forum_topic,
            "getFile": a.get_file,
            "getChat": a.get_chat,
            "setMyCommands": a.set_my_commands,
            "getMyCommands": a.get_my_commands,
            "deleteMyCommands": a.delete_my_commands,
            "setChatMenuButton": a.set_chat_menu_button,
            "getChatMenuButton": a.get_chat_menu_button,
            "close": a.close,
            "logOut": a.log_out,
        }
        self._methods = {name.lower(): (name, fn) for name, fn in table.items()}

    # ---- lifecycle ------------------------------------------------------------------------
    @property
    def limits(self) -> Limits | None:
        return self._limits

    @limits.setter
    def limits(self, value: Limits | None) -> None:
        self._limits = value
        self.sending.limiter = RateLimiter(value, self.world.clock) if value else None

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in LOOPBACK:
            raise ValueError("the fake Bot API binds to the loopback interface only")
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        self.account.closing = False
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        self._webhook_task = asyncio.create_task(self.webhooks.run())

    async def stop(self) -> None:
        self.account.closing = True
        self.world.updates_changed.fire()
        self.world.events_changed.fire()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- HTTP -----------------------------------------------------------------------------
    @staticmethod
    def _reply(status: int, body: Json) -> web.Response:
        return web.json_response(body, status=status)

    async def _handle_api(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        if request.match_info["token"] != self.token:
            self.error_counts[401] += 1
            return self._reply(401, UNAUTHORIZED.payload())
        try:
            params, files = await read_request(request)
        except ApiError as exc:
            return self._reply(*self._record(name, {}, {}, exc.error_code, exc.payload()))
        return self._reply(*await self.dispatch(name, params, files))

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._reply(401, UNAUTHORIZED.payload())
        stored = self.world.files_by_path.get(request.match_info["path"])
        if stored is None:
            return self._reply(404, FILE_NOT_FOUND.payload())
        return web.Response(body=stored.data, content_type=stored.mime)

    async def dispatch(
        self, method: str, params: Params, files: dict[str, Upload] | None = None
    ) -> tuple[int, Json]:
        """Run one Bot API method (as the HTTP endpoint does); returns (status, body)."""
        files = files or {}
        entry = self._methods.get(method.lower())
        if entry is None:
            return self._record(method, params, files, 404, METHOD_NOT_FOUND.payload())
        name, handler = entry
        try:
            failure = self._take_failure(name)
            if failure is not None:
                raise failure
            result = handler(params, files)
            if inspect.isawaitable(result):
                result = await result
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.error_code, exc.payload()
        except Exception as exc:  # a bug in the fake: answer 500 and keep it for the tests
            log.exception("fake Bot API failed in %s", name)
            self.internal_errors.append(exc)
            status, body = 500, ApiError(500, f"Internal Server Error: {exc!r}").payload()
        return self._record(name, params, files, status, body)

    def _record(
        self, method: str, params: Params, files: dict[str, Upload], status: int, body: Json
    ) -> tuple[int, Json]:
        if status != 200:
            self.error_counts[status] += 1
        self.calls.append(Call(method, params, status, copy.deepcopy(body), time.time(), files))
        self._calls_changed.fire()
        return status, body

    # ---- test hooks -----------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` ("*" = any method) with this error."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after or 1}"
                if error_code == 429
                else DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            )
        if error_code == 429 and retry_after is None:
            retry_after = 1
        key = "*" if method == "*" else self._methods.get(method.lower(), (method, None))[0]
        queue = self._failures.setdefault(key, deque())
        queue.extend(ApiError(error_code, description, retry_after) for _ in range(count))

    def _take_failure(self, method: str) -> ApiError | None:
        for key in (method, "*"):
            queue = self._failures.get(key)
            if queue:
                return queue.popleft()
        return None

    @property
    def count_429(self) -> int:
        return self.error_counts[429]

    def mark(self) -> int:
        """Make later ``wait_for`` calls (without ``since``) look only at calls from now on."""
        self._mark = len(self.calls)
        return self._mark

    async def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0, since: int | None = None
    ) -> Call:
        """Wait for a call matching ``predicate``, looking from index ``since`` of ``calls``
        (default: the last simulated user action / ``mark()``).  Raises TimeoutError."""
        start = self._mark if since is None else since
        loop = asyncio.get_running_loop()
        deadline, index = loop.time() + timeout, start
        while True:
            while index < len(self.calls):
                index += 1
                if predicate(self.calls[index - 1]):
                    return self.calls[index - 1]
            if loop.time() >= deadline:
                seen = [f"{c.method}:{c.status}" for c in self.calls[start:] if c.method != "getUpdates"]
                raise TimeoutError(f"no matching Bot API call within {timeout}s; calls since: {seen}")
            await self._calls_changed.wait(deadline - loop.time())

    # ---- simulation (marks the call log so wait_for sees only what follows) ---------------
    def _message(
        self,
        user_id: int,
        fields: Json,
        chat_id: int | None,
        reply_to_message_id: int | None,
        message_thread_id: int | None,
    ) -> Json:
        self.mark()
        return super()._message(user_id, fields, chat_id, reply_to_message_id, message_thread_id)

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> Json:
        self.mark()
        return super().press_button(user_id, message_id, callback_data, chat_id)

    def inject_update(self, update: Json) -> Json:
        self.mark()
        return super().inject_update(update)

    def redeliver(self, update_id: int) -> Json:
        self.mark()
        return self.world.redeliver(update_id)
