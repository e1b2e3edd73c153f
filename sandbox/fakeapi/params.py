"""Request parsing: query string, JSON, form-urlencoded and multipart bodies.

Clients encode nested values differently (aiogram: multipart with JSON strings;
python-telegram-bot: form fields holding JSON); everything is normalised here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from sandbox.fakeapi.errors import bad_request

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "media",
        "commands",
        "entities",
        "caption_entities",
        "allowed_updates",
        "scope",
        "menu_button",
        "link_preview_options",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "icon_color",
        "user_id",
        "from_chat_id",
        "live_period",
        "heading",
        "proximity_alert_radius",
    }
)
FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "has_spoiler",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    data: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.data)} bytes, {self.content_type!r})"


Params = dict[str, Any]


async def read_request(request: web.Request) -> tuple[Params, dict[str, Upload]]:
    """Collect parameters (query + body) and uploaded files of a request."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.can_read_body:
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            raw.update(body)
        elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            for key, value in (await request.post()).items():
                if isinstance(value, FileField):
                    with value.file as fh:
                        files[key] = Upload(value.filename, fh.read(), value.content_type)
                else:
                    raw[key] = value if isinstance(value, str) else bytes(value).decode()
    return coerce(raw), files


def coerce(raw: dict[str, Any]) -> Params:
    """Turn string-encoded values into the types the Bot API documents."""
    out: Params = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            out[key] = value
        elif key in JSON_FIELDS:
            try:
                out[key] = json.loads(value)
            except ValueError:
                what = "reply keyboard markup" if key == "reply_markup" else key
                raise bad_request(f"can't parse {what} JSON object") from None
        elif key in INT_FIELDS:
            try:
                out[key] = int(value)
            except ValueError:
                if key != "chat_id":
                    raise bad_request(f"invalid {key} specified") from None
                out[key] = value  # "@username"
        elif key in FLOAT_FIELDS:
            try:
                out[key] = float(value)
            except ValueError:
                raise bad_request(f"invalid {key} specified") from None
        elif key in BOOL_FIELDS:
            out[key] = value.strip().lower() in ("true", "1")
        else:
            out[key] = value
    return out
