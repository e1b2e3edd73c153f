"""Fuzzing the update converters of both adapters (aiogram and python-telegram-bot) with
arbitrary Bot API updates: random unicode and control characters, huge captions, forged
callback data, unknown chat types, edited messages and channel posts, missing fields.
Whatever the library accepts, our converter returns None or a well-formed Incoming, never
raises, and both adapters agree."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from aiogram.types import Update as AiogramUpdate
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from telegram import Update as PtbUpdate

from bot.adapters.aiogram_adapter import to_incoming as aiogram_incoming
from bot.adapters.ptb_adapter import to_incoming as ptb_incoming
from bot.adapters.telegram_updates import UNSUPPORTED
from handlers.types import Incoming

Json = dict[str, Any]
IDS = st.integers(min_value=-(10**13), max_value=10**13)
CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Mn"])
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=CONTROL, max_size=20),
    st.sampled_from(["/start c_XGY", "/start inv_x", "/report@bot", "/", "😀" * 3000, "字" * 5000]),
)
FORGED = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        ["tk:ack:1", "tk:ack:-1", "tk:ack:99999999999999999999", "rp:c:../x", "mv:", "::::", "sk:"]
    ),
)
FILE = st.fixed_dictionaries({"file_id": st.text(min_size=1, max_size=10), "file_unique_id": st.just("u")})
MEDIA: dict[str, st.SearchStrategy[Any]] = {
    "sticker": FILE.map(
        lambda f: {**f, "type": "regular", "width": 1, "height": 1, "is_animated": False, "is_video": False}
    ),
    "voice": FILE.map(lambda f: {**f, "duration": 1}),
    "video": FILE.map(lambda f: {**f, "duration": 1, "width": 1, "height": 1}),
    "document": FILE,
    "audio": FILE.map(lambda f: {**f, "duration": 1}),
    "animation": FILE.map(lambda f: {**f, "duration": 1, "width": 1, "height": 1}),
    "contact": st.fixed_dictionaries(
        {"phone_number": st.text(max_size=15), "first_name": st.text(max_size=5)}
    ),
    "dice": st.just({"emoji": "🎲", "value": 3}),
    "photo": st.lists(FILE.map(lambda f: {**f, "width": 1, "height": 1}), max_size=3),
    "location": st.fixed_dictionaries(
        {"latitude": st.floats(-90, 90), "longitude": st.floats(-180, 180)}  # type: ignore[dict-item]
    ),
}
USER = st.fixed_dictionaries(
    {"id": IDS, "is_bot": st.booleans(), "first_name": st.text(max_size=30)},
    optional={"last_name": TEXT, "language_code": st.sampled_from(["zh-hans", "en", "xx", "", "zh_TW"])},
)
CHAT = st.fixed_dictionaries(
    {"id": IDS, "type": st.sampled_from(["private", "group", "supergroup", "channel", "secret", ""])},
    optional={"title": TEXT, "is_forum": st.booleans()},
)


def _message(depth: int = 1) -> st.SearchStrategy[Json]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "from": USER,
        "text": TEXT,
        "caption": st.one_of(TEXT, st.just("🌧" * 20000)),  # far over any limit
        "message_thread_id": IDS,
        "is_topic_message": st.booleans(),
        "sender_chat": CHAT,
        **MEDIA,
    }
    if depth:
        optional["reply_to_message"] = _message(depth - 1)
    return st.fixed_dictionaries(
        {
            "message_id": st.integers(min_value=-5, max_value=2**31),
            "date": st.integers(0, 2**31),
            "chat": CHAT,
        },
        optional=optional,
    )


MESSAGE = _message()
CALLBACK = st.fixed_dictionaries(
    {"id": st.text(max_size=10), "from": USER, "chat_instance": st.text(max_size=5)},
    optional={"message": MESSAGE, "data": FORGED, "inline_message_id": st.text(max_size=5)},
)
KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "callback_query")
UPDATE = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=0, max_value=2**31)},
    optional={k: (CALLBACK if k == "callback_query" else MESSAGE) for k in KINDS},
)


def _parsed(update: Json) -> list[tuple[str, Incoming | None]]:
    out: list[tuple[str, Incoming | None]] = []
    try:
        out.append(("aiogram", aiogram_incoming(AiogramUpdate.model_validate(update))))
    except ValidationError:
        pass  # refused by the library before our code
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ptb = PtbUpdate.de_json(update, None)
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    else:
        if ptb is not None:
            out.append(("ptb", ptb_incoming(ptb)))
    return out


def _check(update: Json, inc: Incoming) -> None:
    assert "message" in update or "callback_query" in update  # edits and channel posts: ignored
    if inc.callback_data is not None:
        q = update["callback_query"]
        assert inc.callback_data == (q.get("data") or "") and inc.callback_id == q["id"]
        assert inc.user_id == str(q["from"]["id"])
        return
    m = update["message"]
    assert "from" in m and not m["from"]["is_bot"] and inc.user_id == str(m["from"]["id"])
    assert inc.chat_id == str(m["chat"]["id"]) and isinstance(inc.chat_type, str)
    assert inc.text == m.get("text", m.get("caption"))
    assert len(inc.photos) <= 1 and (inc.location is None) == ("location" not in m)
    assert inc.unsupported == next((k for k in UNSUPPORTED if k in m), None)


@settings(max_examples=300)
@given(UPDATE)
def test_any_update_converts_or_is_ignored(update: Json) -> None:
    results = _parsed(update)
    for _name, inc in results:
        if inc is not None:
            _check(update, inc)
    if len(results) == 2:  # both libraries took it: the same Incoming
        assert results[0][1] == results[1][1]


@pytest.mark.parametrize("kind", ["edited_message", "channel_post", "edited_channel_post"])
def test_edits_and_channel_posts_are_ignored(kind: str) -> None:
    update = {
        "update_id": 5,
        kind: {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "改过的描述"},
    }
    assert [inc for _, inc in _parsed(update)] == [None, None]


@pytest.mark.parametrize("kind", sorted(set(MEDIA) - {"photo", "location"}))
def test_unsupported_contents_are_named(kind: str) -> None:
    content = {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "u",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
        "voice": {"file_id": "v", "file_unique_id": "u", "duration": 1},
        "video": {"file_id": "v", "file_unique_id": "u", "duration": 1, "width": 1, "height": 1},
        "document": {"file_id": "d", "file_unique_id": "u"},
        "audio": {"file_id": "a", "file_unique_id": "u", "duration": 1},
        "animation": {"file_id": "a", "file_unique_id": "u", "duration": 1, "width": 1, "height": 1},
        "contact": {"phone_number": "13800000000", "first_name": "x"},
        "dice": {"emoji": "🎲", "value": 3},
    }[kind]
    update = {
        "update_id": 6,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "李"},
            kind: content,
            "caption": "说明",
        },
    }
    results = _parsed(update)
    assert len(results) == 2 and all(inc is not None and inc.unsupported == kind for _, inc in results)
