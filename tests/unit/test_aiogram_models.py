"""aiogram's models are built when first used (bot/adapters/aiogram_models.py), not all at
import, and the lazily built ones validate exactly as aiogram's own eagerly built ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "date": 1700000000,
            "chat": {"id": 7, "type": "private", "first_name": "王"},
            "from": {"id": 7, "is_bot": False, "first_name": "王", "language_code": "zh-hans"},
            "text": "/report 楼道灯坏了",
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
        },
    },
    {
        "update_id": 2,
        "callback_query": {
            "id": "9",
            "chat_instance": "c",
            "from": {"id": 7, "is_bot": False, "first_name": "王"},
            "data": "rp:c:leak",
            "message": {
                "message_id": 6,
                "date": 1700000000,
                "chat": {"id": 7, "type": "private"},
                "text": "选类别",
                "reply_markup": {"inline_keyboard": [[{"text": "漏水", "callback_data": "rp:c:leak"}]]},
            },
        },
    },
    {
        "update_id": 3,
        "message": {
            "message_id": 8,
            "date": 1700000000,
            "chat": {"id": -100123, "type": "supergroup", "title": "物业", "is_forum": True},
            "from": {"id": 8, "is_bot": False, "first_name": "李"},
            "message_thread_id": 4,
            "is_topic_message": True,
            "photo": [{"file_id": "p", "file_unique_id": "u", "width": 9, "height": 9}],
            "caption": "照片",
            "reply_to_message": {
                "message_id": 4,
                "date": 1700000000,
                "chat": {"id": -100123, "type": "supergroup"},
            },
        },
    },
    {
        "update_id": 4,
        "edited_message": {
            "message_id": 9,
            "date": 1700000000,
            "edit_date": 1700000001,
            "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "王"},
            "location": {"latitude": 40.14, "longitude": 117.12},
        },
    },
    {
        "update_id": 5,
        "channel_post": {"message_id": 1, "date": 1700000000, "chat": {"id": -1001, "type": "channel"}},
    },
]

PROBE = """
import json, sys
if sys.argv[1] == "lazy":
    import bot.adapters.aiogram_adapter  # imports aiogram through bot/adapters/aiogram_models.py
import aiogram.types as t
from aiogram.methods.base import Response
built = {name: getattr(t, name).__pydantic_complete__ for name in ("Message", "Update", "Sticker", "Poll")}
updates = [t.Update.model_validate(u).model_dump(mode="json") for u in json.loads(sys.argv[2])]
sent = Response[t.Message].model_validate(
    {"ok": True, "result": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"}}
).model_dump(mode="json")
print(json.dumps({"built": built, "updates": updates, "sent": sent}))
"""


def probe(mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, json.dumps(UPDATES, ensure_ascii=False)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_models_are_built_when_used_and_validate_as_aiogram_builds_them() -> None:
    lazy, eager = probe("lazy"), probe("eager")
    # aiogram alone builds every model at import; through the bot, only those used
    assert eager["built"] == {"Message": True, "Update": True, "Sticker": True, "Poll": True}
    assert lazy["built"] == {"Message": False, "Update": False, "Sticker": False, "Poll": False}
    assert lazy["updates"] == eager["updates"]
    assert lazy["sent"] == eager["sent"]
    assert lazy["updates"][1]["callback_query"]["message"]["text"] == "选类别"  # type: ignore[index]
