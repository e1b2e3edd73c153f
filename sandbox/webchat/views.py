"""What the sandbox page shows: Bot API messages reduced to what a chat client draws,
the chats a demo person sees, and the page's own labels (from locales/*/sandbox.ftl)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from locales import LOCALES, normalize, t
from sandbox.fakeapi import FakeBotApi
from sandbox.people import Person

Json = dict[str, Any]
STATIC = Path(__file__).parent / "static"
# labels the page script uses; "{name}" placeholders are filled in by the script
LABELS = (
    "title",
    "banner",
    "person",
    "chat",
    "thread",
    "thread-all",
    "thread-general",
    "send",
    "placeholder",
    "photo",
    "location",
    "edited",
    "reply",
    "cancel-reply",
    "ok",
    "empty-chat",
    "offline",
    "error-empty",
    "error-generic",
    "new-messages",
    "more",
    "switch-lang",
)
TEMPLATED = {
    "location-label": {"lat": "{lat}", "lon": "{lon}"},
    "replying": {"text": "{text}"},
    "topic-created": {"name": "{name}"},
    "in-topic": {"name": "{name}"},
}


def page_locale(requested: str | None, default: str) -> str:
    return normalize(requested) if requested else (default if default in LOCALES else "zh_CN")


def other_locale(locale: str) -> str:
    """The language the page's switch link offers: English on the Chinese page, else Chinese."""
    return "en" if locale == "zh_CN" else "zh_CN"


def labels(locale: str) -> dict[str, str]:
    out = {k: t(locale, f"sandbox-{k}") for k in LABELS}
    out.update({k: t(locale, f"sandbox-{k}", **params) for k, params in TEMPLATED.items()})
    return out


def person_view(p: Person, locale: str) -> Json:
    # which command shortcuts the page offers
    kind = {"resident": "resident", "staff": "staff", "manager": "staff", "community": "staff"}.get(
        p.role.value, "other"
    )
    return {
        "key": p.key,
        "name": p.name,
        "role": t(locale, f"role-{p.role.value}"),
        "role_key": kind,
        "org": p.org_name,
        "user_id": p.user_id,
        "has_location": p.location is not None,
    }


def _full_name(user: Json) -> str:
    return " ".join(str(user[k]) for k in ("first_name", "last_name") if user.get(k))


def message_view(m: Json) -> Json:
    """One Bot API message as the page draws it."""
    sender = m.get("from") or {}
    out: Json = {
        "id": m["message_id"],
        "chat": m["chat"]["id"],
        "thread": m.get("message_thread_id"),
        "bot": bool(sender.get("is_bot")),
        "from_id": sender.get("id"),
        "sender": _full_name(sender),
        "text": m.get("text") or m.get("caption") or "",
        "edited": bool(m.get("edited")),
        "date": m.get("date"),
    }
    if m.get("photo"):
        out["photo"] = m["photo"][-1]["file_id"]
    if m.get("location"):
        out["location"] = [m["location"]["latitude"], m["location"]["longitude"]]
    if m.get("forum_topic_created"):
        out["topic_created"] = m["forum_topic_created"].get("name", "")
    rows = (m.get("reply_markup") or {}).get("inline_keyboard") or []
    if rows:
        out["buttons"] = [
            [{"text": b.get("text", ""), "data": b.get("callback_data")} for b in row] for row in rows
        ]
    quoted = m.get("reply_to_message")
    if quoted and not quoted.get("forum_topic_created"):
        out["reply_to"] = {
            "id": quoted["message_id"],
            "text": (quoted.get("text") or quoted.get("caption") or "")[:80],
        }
    return out


def visible_chats(api: FakeBotApi, p: Person) -> dict[int, Json]:
    """The person's private chat with the bot and the groups they are a member of."""
    out: dict[int, Json] = {}
    for state in api.world.chats.values():
        if state.private and state.id != p.user_id or not state.private and p.user_id not in state.members:
            continue
        out[state.id] = state.chat
    return out


def chats_view(api: FakeBotApi, p: Person, locale: str) -> list[Json]:
    out = []
    for chat_id, chat in visible_chats(api, p).items():
        private = chat["type"] == "private"
        topics = [{"id": tp["message_thread_id"], "name": tp["name"]} for tp in api.topics(chat_id)]
        out.append(
            {
                "id": chat_id,
                "private": private,
                "forum": bool(chat.get("is_forum")),
                "topics": topics,
                # the command bar: the menu the bot set for this chat (setMyCommands)
                "commands": ["/" + c["command"] for c in api.account.chat_menu(chat_id)] if private else [],
                "title": t(locale, "sandbox-chat-private") if private else str(chat.get("title", chat_id)),
            }
        )
    out.sort(key=lambda c: (not c["private"], c["title"]))
    return out


def event_view(e: Json, chats: dict[int, Json]) -> Json | None:
    """A change-feed event of the fake, if the person can see it."""
    if e.get("chat_id") not in chats:
        return None
    kind = e["type"]
    if kind in ("message", "edit"):
        return {"type": kind, "message": message_view(e["message"])}
    if kind == "delete":
        return {"type": kind, "chat": e["chat_id"], "message_id": e["message_id"]}
    if kind == "topic_created":
        return {
            "type": kind,
            "chat": e["chat_id"],
            "topic": {"id": e["topic"]["message_thread_id"], "name": e["topic"]["name"]},
        }
    return None


def _script_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def render_page(locale: str, boot: Json) -> str:
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    other = other_locale(locale)
    return (
        template.replace("{{lang}}", html.escape(locale.replace("_", "-")))
        .replace("{{other_lang}}", html.escape(other))
        .replace("{{other_lang_tag}}", html.escape(other.replace("_", "-")))
        .replace("{{title}}", html.escape(t(locale, "sandbox-title")))
        .replace("{{boot}}", _script_json(boot))
    )


def render_missing(locale: str, message: str, people: list[Person], query: str) -> str:
    """The page for an unknown person (or path): the message and links to every demo person."""
    links = "".join(
        f'<li><a href="/?as={html.escape(p.key)}{query}">{html.escape(p.name)}</a> · '
        f"{html.escape(t(locale, f'role-{p.role.value}'))} · {html.escape(p.org_name)}</li>"
        for p in people
    )
    return (
        f'<!doctype html><html lang="{html.escape(locale.replace("_", "-"))}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t(locale, 'sandbox-title'))}</title>"
        f'<link rel="stylesheet" href="/static/style.css"><link rel="icon" href="data:,">'
        f'</head><body class="missing"><main><h1>{html.escape(t(locale, "sandbox-title"))}</h1>'
        f'<p class="error" id="missing">{html.escape(message)}</p>'
        f"<p>{html.escape(t(locale, 'sandbox-choose-person'))}</p><ul>{links}</ul></main></body></html>"
    )
