"""HTTP control API under /_fake/... for the sandbox web chat and out-of-process tests.

Every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": 400,
"description": "..."}``.  Bodies may be JSON, form-urlencoded or multipart.  CORS is open
(the server only listens on 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.fakeapi.errors import ApiError
from sandbox.fakeapi.params import Params, Upload, read_request

if TYPE_CHECKING:
    from sandbox.fakeapi.server import FakeBotApi

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
}
MAX_WAIT = 60.0


def _opt_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def _json_safe(value: Any) -> Any:
    if isinstance(value, Upload):
        return {"filename": value.filename, "size": len(value.data), "content_type": value.content_type}
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def add_control_routes(app: web.Application, api: FakeBotApi) -> None:
    world = api.world

    def endpoint(fn: Callable[[Params, dict[str, Upload], web.Request], Any]) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                params, files = await read_request(request)
                result = fn(params, files, request)
                if asyncio.iscoroutine(result):
                    result = await result
            except ApiError as exc:
                return web.json_response(exc.payload(), status=exc.error_code, headers=CORS)
            except (ValueError, KeyError, TypeError) as exc:
                body = {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
                return web.json_response(body, status=400, headers=CORS)
            if isinstance(result, web.StreamResponse):
                return result
            return web.json_response({"ok": True, "result": result}, headers=CORS)

        return handle

    def send_text(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.send_text(
            int(p["user_id"]),
            str(p["text"]),
            _opt_int(p.get("chat_id")),
            _opt_int(p.get("reply_to_message_id")),
            _opt_int(p.get("message_thread_id")),
        )

    def send_photo(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        upload = f.get("photo") or next(iter(f.values()), None)
        data = upload.data if upload else base64.b64decode(p["data_base64"])
        return api.send_photo(
            int(p["user_id"]),
            data,
            p.get("caption") or None,
            _opt_int(p.get("chat_id")),
            _opt_int(p.get("reply_to_message_id")),
            _opt_int(p.get("message_thread_id")),
        )

    def send_location(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.send_location(
            int(p["user_id"]),
            float(p["latitude"]),
            float(p["longitude"]),
            _opt_int(p.get("chat_id")),
            _opt_int(p.get("reply_to_message_id")),
            _opt_int(p.get("message_thread_id")),
        )

    def press_button(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.press_button(
            int(p["user_id"]), int(p["message_id"]), str(p["callback_data"]), _opt_int(p.get("chat_id"))
        )

    def inject_update(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.inject_update(p.get("update", p))

    def redeliver(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.redeliver(int(p["update_id"]))

    def add_user(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.add_user(
            int(p["user_id"]),
            str(p["first_name"]),
            p.get("username"),
            p.get("language_code", "zh-hans"),
            p.get("last_name"),
        )

    def add_group(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        members = p.get("members") or []
        if isinstance(members, str):
            members = [int(m) for m in members.split(",") if m.strip()]
        return api.add_group(
            int(p["chat_id"]),
            str(p["title"]),
            _flag(p.get("is_forum")),
            [int(m) for m in members],
            str(p.get("type", "supergroup")),
            p.get("username"),
        )

    def block(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.set_blocked(int(p["user_id"]), not _flag(p.get("unblock")))

    def chats(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return {"bot": api.bot_user, "chats": api.chats()}

    def messages(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        chat_id = int(p["chat_id"])
        if chat_id not in world.chats:
            raise ValueError(f"unknown chat {chat_id}")
        return api.messages(chat_id, _opt_int(p.get("thread_id")))

    async def events(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        since, chat_id = int(p.get("since") or 0), _opt_int(p.get("chat_id"))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(float(p.get("wait") or 0), MAX_WAIT)
        while True:
            found = world.events_since(since, chat_id)
            if found or api.account.closing or loop.time() >= deadline:
                return {"events": found, "seq": world.seq}
            await world.events_changed.wait(deadline - loop.time())

    def file(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        stored = world.files.get(r.match_info["file_id"])
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404, headers=CORS
            )
        return web.Response(body=stored.data, content_type=stored.mime, headers=CORS)

    def calls(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return [
            {
                "method": c.method,
                "params": _json_safe(c.params),
                "status": c.status,
                "response": c.response,
                "time": c.time,
            }
            for c in api.calls[int(p.get("since") or 0) :]
        ]

    def callback_answers(p: Params, f: dict[str, Upload], r: web.Request) -> Any:
        return api.callback_answers

    async def preflight(request: web.Request) -> web.StreamResponse:
        return web.Response(status=204, headers=CORS)

    posts = {
        "send_text": send_text,
        "send_photo": send_photo,
        "send_location": send_location,
        "press_button": press_button,
        "inject_update": inject_update,
        "redeliver": redeliver,
        "users": add_user,
        "groups": add_group,
        "block": block,
    }
    gets = {
        "chats": chats,
        "messages": messages,
        "events": events,
        "file/{file_id}": file,
        "calls": calls,
        "callback_answers": callback_answers,
    }
    for name, fn in posts.items():
        app.router.add_post(f"/_fake/{name}", endpoint(fn))
    for name, fn in gets.items():
        app.router.add_get(f"/_fake/{name}", endpoint(fn))
    app.router.add_route("OPTIONS", "/_fake/{tail:.*}", preflight)
