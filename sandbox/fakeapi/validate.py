"""Validation of message content the way the Bot API validates it."""

from __future__ import annotations

import re
from typing import Any

from sandbox.fakeapi.errors import bad_request
from sandbox.fakeapi.textfmt import parse_text, utf16_len

__all__ = ["MAX_ANSWER", "MAX_CAPTION", "MAX_TEXT", "utf16_len"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER = 200  # answerCallbackQuery text
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


def message_text(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    raw = params.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise bad_request("message text is empty")
    text, entities = parse_text(raw, params.get("parse_mode"), params.get("entities"))
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text, entities


def caption(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    raw = params.get("caption")
    if raw is None or raw == "":
        return None
    text, entities = parse_text(str(raw), params.get("parse_mode"), params.get("caption_entities"))
    if utf16_len(text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return (text, entities) if text else None


def reply_markup(
    markup: Any, inline_only: bool = False
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Validate a reply_markup; return (inline keyboard, other keyboard)."""
    if markup is None:
        return None, None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_rows(markup["inline_keyboard"])}, None
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text:
                    raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
        return None, markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return None, markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline_rows(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
            if not any(k in button for k in INLINE_ACTIONS):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")
    return rows


def commands(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    if len(value) > 100:
        raise bad_request("too many commands")
    for cmd in value:
        if not isinstance(cmd, dict) or not COMMAND_RE.match(str(cmd.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(cmd.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in value]
