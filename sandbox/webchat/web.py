"""The sandbox web chat: one page (static/) and a small JSON API over the in-process
fake Bot API. The page only shows what the bot sent through the Bot API and acts as
the chosen demo person would in a Telegram client; the bot's logic is not repeated here.

GET  /?as=<person>[&lang=en]            the page (unknown person: a 404 page listing everybody)
GET  /api/chats?as=                     the person's chats: the private chat, staff groups, topics
GET  /api/messages?as=&chat=[&thread=]  a chat's history, edits applied
GET  /api/events?as=&since=&wait=       long poll: new and edited messages, new topics
POST /api/text      {as, chat, thread?, reply_to?, text}
POST /api/photo     multipart {as, chat, thread?, caption?, photo}
POST /api/location  {as, chat, thread?}     the preset point of the person's compound
POST /api/press     {as, chat, message_id, data}  → {answer: {text, alert} | null}
GET  /api/file/{file_id}
Errors are {"ok": false, "error": "<text in the page's language>"}; no stack trace is shown.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from locales import t
from sandbox.fakeapi import FakeBotApi
from sandbox.fakeapi.images import image_info
from sandbox.people import Person
from sandbox.webchat import views

log = logging.getLogger(__name__)
Json = dict[str, Any]
MAX_TEXT = 10_000  # the bot itself answers texts longer than its own limits
MAX_PHOTO_MB = 10
MAX_WAIT = 25.0
ANSWER_WAIT = 10.0
PEOPLE = web.AppKey("people", dict[str, Person])
API = web.AppKey("api", FakeBotApi)
LOCALE = web.AppKey("locale", str)
BOOT = web.AppKey("boot", str)
CLOSING = web.AppKey("closing", asyncio.Event)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class PageError(Exception):
    """A bad request from the page: answered with a localized text."""

    def __init__(self, key: str, status: int = 400, **params: Any) -> None:
        super().__init__(key)
        self.key, self.status, self.params = key, status, params


def _locale(request: web.Request) -> str:
    return views.page_locale(request.query.get("lang"), request.app[LOCALE])


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    locale, api = _locale(request), request.path.startswith("/api/")
    try:
        return await handler(request)
    except PageError as exc:
        text, status = t(locale, f"sandbox-{exc.key}", **exc.params), exc.status
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        key = {404: "error-not-found", 405: "error-not-found", 413: "error-file-too-big"}.get(
            exc.status, "error-bad-request"
        )
        text, status = t(locale, f"sandbox-{key}", max=MAX_PHOTO_MB), exc.status
    except (ValueError, KeyError, TypeError) as exc:  # e.g. the fake refused a malformed action
        log.info("sandbox page request refused: %s", exc)
        text, status = t(locale, "sandbox-error-bad-request"), 400
    except Exception:
        log.exception("sandbox page request failed: %s", request.path)
        text, status = t(locale, "sandbox-error-generic"), 500
    if api:
        return web.json_response({"ok": False, "error": text}, status=status)
    return web.Response(
        text=views.render_missing(locale, text, list(request.app[PEOPLE].values()), ""),
        status=status,
        content_type="text/html",
    )


def _person(request: web.Request, params: Any) -> Person:
    key = str(params.get("as") or "")
    person = request.app[PEOPLE].get(key)
    if person is None:
        raise PageError("error-unknown-person", 404, who=key[:40])
    return person


def _int(value: Any) -> int | None:
    if value in (None, "", "null"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PageError("error-bad-request") from None


def _chat(request: web.Request, person: Person, params: Any) -> int:
    chat_id = _int(params.get("chat"))
    if chat_id is None or chat_id not in views.visible_chats(request.app[API], person):
        raise PageError("error-chat", 403)
    return chat_id


async def _params(request: web.Request) -> Any:
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise PageError("error-bad-request")
        return body
    return await request.post()


async def page(request: web.Request) -> web.Response:
    locale, people = _locale(request), request.app[PEOPLE]
    key = request.query.get("as") or next(iter(people))
    if key not in people:
        lang = f"&lang={quote(request.query['lang'])}" if request.query.get("lang") else ""
        message = t(locale, "sandbox-error-unknown-person", who=key[:40])
        return web.Response(
            text=views.render_missing(locale, message, list(people.values()), lang),
            status=404,
            content_type="text/html",
        )
    api = request.app[API]
    boot = {
        "me": key,
        "lang": locale,
        "other_lang": views.other_locale(locale),
        "boot": request.app[BOOT],
        "labels": views.labels(locale),
        "bot": {"id": api.bot_user["id"], "name": api.bot_user["first_name"]},
        "people": [views.person_view(p, locale) for p in people.values()],
    }
    return web.Response(text=views.render_page(locale, boot), content_type="text/html")


async def chats(request: web.Request) -> web.Response:
    person = _person(request, request.query)
    return _ok(views.chats_view(request.app[API], person, _locale(request)))


async def messages(request: web.Request) -> web.Response:
    person = _person(request, request.query)
    chat_id = _chat(request, person, request.query)
    api = request.app[API]
    found = api.messages(chat_id, _int(request.query.get("thread")))
    return _ok(
        {"messages": [views.message_view(m) for m in found], "seq": api.world.seq, "boot": request.app[BOOT]}
    )


async def events(request: web.Request) -> web.Response:
    person = _person(request, request.query)
    api, world = request.app[API], request.app[API].world
    since = _int(request.query.get("since")) or 0
    wait = min(float(_int(request.query.get("wait")) or 0), MAX_WAIT)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        visible = views.visible_chats(api, person)
        found = [v for e in world.events_since(since) if (v := views.event_view(e, visible))]
        if found or loop.time() >= deadline or request.app[CLOSING].is_set():
            return _ok({"events": found, "seq": world.seq, "boot": request.app[BOOT]})
        await world.events_changed.wait(deadline - loop.time())


async def send_text(request: web.Request) -> web.Response:
    p = await _params(request)
    person = _person(request, p)
    chat_id = _chat(request, person, p)
    text = str(p.get("text") or "")
    if not text.strip():
        raise PageError("error-empty")
    if len(text) > MAX_TEXT:
        raise PageError("error-too-long", length=len(text), max=MAX_TEXT)
    update = request.app[API].send_text(
        person.user_id, text, chat_id, _int(p.get("reply_to")), _int(p.get("thread"))
    )
    return _ok(views.message_view(update["message"]))


async def send_photo(request: web.Request) -> web.Response:
    p = await _params(request)
    person = _person(request, p)
    chat_id = _chat(request, person, p)
    upload = p.get("photo")
    data = upload.file.read() if isinstance(upload, web.FileField) else None
    if not data or image_info(data) is None:
        raise PageError("error-not-image")
    caption = str(p.get("caption") or "").strip()
    if len(caption) > MAX_TEXT:
        raise PageError("error-too-long", length=len(caption), max=MAX_TEXT)
    update = request.app[API].send_photo(
        person.user_id, data, caption or None, chat_id, _int(p.get("reply_to")), _int(p.get("thread"))
    )
    return _ok(views.message_view(update["message"]))


async def send_location(request: web.Request) -> web.Response:
    p = await _params(request)
    person = _person(request, p)
    chat_id = _chat(request, person, p)
    if person.location is None:
        raise PageError("error-no-location")
    update = request.app[API].send_location(
        person.user_id, *person.location, chat_id, _int(p.get("reply_to")), _int(p.get("thread"))
    )
    return _ok(views.message_view(update["message"]))


async def press(request: web.Request) -> web.Response:
    """Tap an inline button; wait (briefly) for the bot's answerCallbackQuery."""
    p = await _params(request)
    person = _person(request, p)
    chat_id = _chat(request, person, p)
    message_id, data = _int(p.get("message_id")), str(p.get("data") or "")
    if message_id is None or not data:
        raise PageError("error-bad-request")
    api = request.app[API]
    query_id = api.press_button(person.user_id, message_id, data, chat_id)["callback_query"]["id"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ANSWER_WAIT
    while loop.time() < deadline and not request.app[CLOSING].is_set():
        for a in reversed(api.callback_answers):
            if a["callback_query_id"] == query_id:
                answer = {"text": a["text"], "alert": a["show_alert"]} if a.get("text") else None
                return _ok({"answer": answer})
        await api.world.events_changed.wait(deadline - loop.time())
    return _ok({"answer": None})


async def file(request: web.Request) -> web.Response:
    stored = request.app[API].world.files.get(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=stored.data, content_type=stored.mime, headers={"Cache-Control": "private, max-age=86400"}
    )


async def _closing(app: web.Application) -> None:
    app[CLOSING].set()
    app[API].world.events_changed.fire()  # ends the long polls


def make_app(api: FakeBotApi, people: list[Person], locale: str = "zh_CN") -> web.Application:
    app = web.Application(middlewares=[errors], client_max_size=(MAX_PHOTO_MB + 1) * 1024 * 1024)
    app[API], app[LOCALE], app[BOOT] = api, locale, secrets.token_hex(6)
    app[PEOPLE] = {p.key: p for p in people}
    app[CLOSING] = asyncio.Event()
    app.on_shutdown.append(_closing)
    app.router.add_get("/", page)
    app.router.add_static("/static/", views.STATIC, append_version=False)
    for path, fn in (("chats", chats), ("messages", messages), ("events", events)):
        app.router.add_get(f"/api/{path}", fn)
    for path, fn in (
        ("text", send_text),
        ("photo", send_photo),
        ("location", send_location),
        ("press", press),
    ):
        app.router.add_post(f"/api/{path}", fn)
    app.router.add_get("/api/file/{file_id}", file)
    return app
