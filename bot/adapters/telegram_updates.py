"""Telegram updates → Incoming, for any library whose objects follow the Bot
API field names (aiogram's and python-telegram-bot's do)."""

from __future__ import annotations

from typing import Any

from handlers.types import Incoming

# message contents the handlers cannot take: the person is told so (not "description empty")
UNSUPPORTED = (
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "document",
    "animation",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "venue",
    "paid_media",
    "invoice",
)


def unsupported_kind(m: Any) -> str | None:
    """The first unsupported content of a message (None for text, photos, locations and
    service messages such as "topic created", which are not answered)."""
    for kind in UNSUPPORTED:
        if getattr(m, kind, None) is not None:
            return kind
    return None


def person_name(user: Any) -> str:
    """The name to show for a Telegram user: first and last name (built here: the libraries
    disagree when the first name is empty), else the username, else the id."""
    full = " ".join(str(p) for p in (user.first_name, user.last_name) if p).strip()
    return full or str(user.username or "") or str(user.id)


def message_to_incoming(update_id: int, m: Any) -> Incoming | None:
    """A user's message; None for messages from bots or without a sender."""
    user = m.from_user
    if user is None or user.is_bot:
        return None
    return Incoming(
        channel="telegram",
        update_id=update_id,
        user_id=str(user.id),
        user_name=person_name(user),
        chat_id=str(m.chat.id),
        chat_type=str(m.chat.type),
        message_id=m.message_id,
        text=m.text if m.text is not None else m.caption,
        photos=(m.photo[-1].file_id,) if m.photo else (),
        location=(m.location.latitude, m.location.longitude) if m.location else None,
        reply_to_message_id=m.reply_to_message.message_id
        if m.reply_to_message is not None and not _is_topic_root(m)
        else None,
        thread_id=m.message_thread_id if m.is_topic_message else None,
        language=user.language_code,
        unsupported=unsupported_kind(m),
    )


def _is_topic_root(m: Any) -> bool:
    # in a forum topic every message "replies" to the topic's creation message
    r = m.reply_to_message
    return bool(m.is_topic_message and r is not None and r.forum_topic_created is not None)


def callback_to_incoming(update_id: int, q: Any) -> Incoming:
    """A button press; its message may be inaccessible (both kinds have chat and id)."""
    m = q.message
    return Incoming(
        channel="telegram",
        update_id=update_id,
        user_id=str(q.from_user.id),
        user_name=person_name(q.from_user),
        chat_id=str(m.chat.id) if m is not None else str(q.from_user.id),
        chat_type=str(m.chat.type) if m is not None else "private",
        message_id=m.message_id if m is not None else None,
        callback_data=q.data or "",
        callback_id=q.id,
        language=q.from_user.language_code,
        # a button in a forum topic: prompts and answers stay in that topic
        thread_id=m.message_thread_id if getattr(m, "is_topic_message", None) else None,
    )


def update_to_incoming(update: Any) -> Incoming | None:
    if update.message is not None:
        return message_to_incoming(update.update_id, update.message)
    if update.callback_query is not None:
        return callback_to_incoming(update.update_id, update.callback_query)
    return None
