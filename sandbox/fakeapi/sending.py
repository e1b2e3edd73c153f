"""Bot API methods that create or change messages in chats."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from sandbox.fakeapi import validate
from sandbox.fakeapi.errors import bad_request, forbidden
from sandbox.fakeapi.images import image_info
from sandbox.fakeapi.limits import RateLimiter
from sandbox.fakeapi.model import ChatState, Json, MessageRecord
from sandbox.fakeapi.params import Params, Upload
from sandbox.fakeapi.state import World

Files = dict[str, Upload]
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
Target = tuple[ChatState, int | None, MessageRecord | None]  # chat, thread, replied-to message
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class SendingMethods:
    def __init__(self, world: World, callback_ttl: float | None) -> None:
        self.world = world
        self.limiter: RateLimiter | None = None
        self.callback_ttl = callback_ttl

    # ---- shared steps ---------------------------------------------------------------------
    def _target(self, p: Params) -> Target:
        chat = self.world.chat(p.get("chat_id"))
        self._reachable(chat)
        thread = p.get("message_thread_id")
        if thread is not None and thread not in chat.topics:
            raise bad_request("message thread not found")
        reply_id, allow = p.get("reply_to_message_id"), bool(p.get("allow_sending_without_reply"))
        params = p.get("reply_parameters")
        if params is not None:
            if not isinstance(params, dict) or not isinstance(params.get("message_id"), int):
                raise bad_request("can't parse reply parameters JSON object")
            reply_id, allow = params["message_id"], bool(params.get("allow_sending_without_reply", allow))
        reply = chat.messages.get(reply_id) if reply_id is not None else None
        if reply_id is not None and reply is None and not allow:
            raise bad_request("message to be replied not found")
        return chat, thread, reply

    @staticmethod
    def _reachable(chat: ChatState) -> None:
        if chat.private and chat.blocked:
            raise forbidden("bot was blocked by the user")
        if chat.private and not chat.started:
            raise forbidden("bot can't initiate conversation with a user")

    def _rate(self, method: str, chat: ChatState) -> None:
        if self.limiter is not None and method in self.limiter.limits.counted_methods:
            self.limiter.acquire(chat.id, chat.private)

    def _post(
        self,
        target: Target,
        fields: Json,
        keyboards: tuple[Json | None, Json | None] = (None, None),
        count_as: str | None = None,
    ) -> Json:
        """Store a bot message; ``count_as`` names the method to charge to the flood limits."""
        chat, thread, reply = target
        if count_as:
            self._rate(count_as, chat)
        inline, keyboard = keyboards
        if inline is not None:
            fields["reply_markup"] = inline
        return self.world.add_message(
            chat, self.world.bot_user, fields, thread_id=thread, reply_to=reply, keyboard=keyboard
        )

    def _photo_source(self, value: Any, files: Files, field: str) -> bytes | list[Json]:
        upload: Upload | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        elif value is None or value == "":
            upload = files.get(field)
            if upload is None:
                raise bad_request(f"there is no {field} in the request")
        elif isinstance(value, str):
            stored = self.world.files.get(value)
            if stored is None or not stored.sizes:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return copy.deepcopy(stored.sizes)
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if not upload.data:
            raise bad_request("file must be non-empty")
        info = image_info(upload.data)
        if info is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        _, width, height = info
        if width + height > 10000 or max(width, height) > 20 * max(1, min(width, height)):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        return upload.data

    def _photo_sizes(self, source: bytes | list[Json]) -> list[Json]:
        return self.world.store_photo(source) if isinstance(source, bytes) else source

    @staticmethod
    def _caption_fields(p: Params) -> Json:
        cap = validate.caption(p)
        if cap is None:
            return {}
        return {"caption": cap[0], **({"caption_entities": cap[1]} if cap[1] else {})}

    # ---- sending --------------------------------------------------------------------------
    def send_message(self, p: Params, files: Files) -> Json:
        text, entities = validate.message_text(p)
        keyboards = validate.reply_markup(p.get("reply_markup"))
        target = self._target(p)
        fields: Json = {"text": text, **({"entities": entities} if entities else {})}
        return self._post(target, fields, keyboards, count_as="sendMessage")

    def send_photo(self, p: Params, files: Files) -> Json:
        caption = self._caption_fields(p)
        keyboards = validate.reply_markup(p.get("reply_markup"))
        target = self._target(p)
        source = self._photo_source(p.get("photo"), files, "photo")
        self._rate("sendPhoto", target[0])  # before storing the upload
        return self._post(target, {"photo": self._photo_sizes(source), **caption}, keyboards)

    def send_media_group(self, p: Params, files: Files) -> list[Json]:
        media = p.get("media")
        if media is None:
            raise bad_request('parameter "media" is required')
        if not isinstance(media, list):
            raise bad_request("expected an Array of InputMedia")
        if not media:
            raise bad_request("there are no messages to send")
        if len(media) > 10:
            raise bad_request("Too many messages to send as an album")
        target = self._target(p)
        items = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                raise bad_request('can\'t parse InputMedia: only type "photo" is supported by the fake')
            items.append((self._photo_source(item.get("media"), files, "media"), self._caption_fields(item)))
        self._rate("sendMediaGroup", target[0])
        group_id = str(secrets.randbelow(10**17) + 10**17)
        return [
            self._post(target, {"media_group_id": group_id, "photo": self._photo_sizes(src), **cap})
            for src, cap in items
        ]

    def send_location(self, p: Params, files: Files) -> Json:
        lat, lon = p.get("latitude"), p.get("longitude")
        if not isinstance(lat, (int, float)) or not -90 <= lat <= 90:
            raise bad_request("wrong latitude specified")
        if not isinstance(lon, (int, float)) or not -180 <= lon <= 180:
            raise bad_request("wrong longitude specified")
        keyboards = validate.reply_markup(p.get("reply_markup"))
        target = self._target(p)
        location: Json = {"latitude": float(lat), "longitude": float(lon)}
        if p.get("horizontal_accuracy") is not None:
            location["horizontal_accuracy"] = p["horizontal_accuracy"]
        return self._post(target, {"location": location}, keyboards, count_as="sendLocation")

    def send_chat_action(self, p: Params, files: Files) -> bool:
        chat, _thread, _ = self._target(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.world.emit("chat_action", chat.id, action=p["action"])
        return True

    # ---- changing -------------------------------------------------------------------------
    def _editable(self, p: Params) -> tuple[ChatState, MessageRecord]:
        if p.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self.world.chat(p.get("chat_id"))
        self._reachable(chat)
        rec = chat.messages.get(p.get("message_id"))  # type: ignore[arg-type]
        if rec is None:
            raise bad_request("message to edit not found")
        if not rec.from_bot:
            raise bad_request("message can't be edited")
        return chat, rec

    def _apply(self, chat: ChatState, rec: MessageRecord, new: Json) -> Json:
        if all(rec.message.get(key) == value for key, value in new.items()):
            raise bad_request(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        for key, value in new.items():
            if value is None:
                rec.message.pop(key, None)
            else:
                rec.message[key] = value
        return self.world.edited(chat, rec)

    def edit_message_text(self, p: Params, files: Files) -> Json:
        chat, rec = self._editable(p)
        if "text" not in rec.message:
            raise bad_request("there is no text in the message to edit")
        text, entities = validate.message_text(p)
        inline, _ = validate.reply_markup(p.get("reply_markup"), inline_only=True)
        return self._apply(chat, rec, {"text": text, "entities": entities or None, "reply_markup": inline})

    def edit_message_caption(self, p: Params, files: Files) -> Json:
        chat, rec = self._editable(p)
        if "photo" not in rec.message:
            raise bad_request("there is no caption in the message to edit")
        cap = validate.caption(p)
        inline, _ = validate.reply_markup(p.get("reply_markup"), inline_only=True)
        return self._apply(
            chat,
            rec,
            {
                "caption": cap[0] if cap else None,
                "caption_entities": (cap[1] or None) if cap else None,
                "reply_markup": inline,
            },
        )

    def edit_message_reply_markup(self, p: Params, files: Files) -> Json:
        chat, rec = self._editable(p)
        inline, _ = validate.reply_markup(p.get("reply_markup"), inline_only=True)
        return self._apply(chat, rec, {"reply_markup": inline})

    def delete_message(self, p: Params, files: Files) -> bool:
        chat = self.world.chat(p.get("chat_id"))
        if p.get("message_id") not in chat.messages:
            raise bad_request("message to delete not found")
        self.world.delete(chat, p["message_id"])
        return True

    def answer_callback_query(self, p: Params, files: Files) -> bool:
        rec = self.world.callbacks.get(str(p.get("callback_query_id", "")))
        expired = (
            rec is not None
            and self.callback_ttl is not None
            and self.world.clock() - rec.created > self.callback_ttl
        )
        if rec is None or rec.answered or expired:
            raise bad_request(QUERY_TOO_OLD)
        if p.get("text") is not None and validate.utf16_len(str(p["text"])) > validate.MAX_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        rec.answered = True
        message = rec.query.get("message") or {}
        answer = {
            "callback_query_id": rec.query["id"],
            "user_id": rec.query["from"]["id"],
            "chat_id": message.get("chat", {}).get("id"),
            "message_id": message.get("message_id"),
            "data": rec.query.get("data"),
            "text": p.get("text"),
            "show_alert": bool(p.get("show_alert")),
            "url": p.get("url"),
            "cache_time": p.get("cache_time", 0),
        }
        self.world.callback_answers.append(answer)
        self.world.emit("callback_answer", answer["chat_id"], answer=answer)
        return True

    def create_forum_topic(self, p: Params, files: Files) -> Json:
        chat = self.world.chat(p.get("chat_id"))
        if not chat.chat.get("is_forum"):
            raise bad_request("the chat is not a forum")
        name = p.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_NAME_INVALID")
        color = p.get("icon_color", TOPIC_COLORS[0])
        if color not in TOPIC_COLORS:
            raise bad_request("TOPIC_COLOR_INVALID")
        thread = chat.next_id
        topic: Json = {"message_thread_id": thread, "name": name, "icon_color": color}
        if p.get("icon_custom_emoji_id"):
            topic["icon_custom_emoji_id"] = p["icon_custom_emoji_id"]
        created = {k: v for k, v in topic.items() if k != "message_thread_id"}
        self.world.add_message(chat, self.world.bot_user, {"forum_topic_created": created}, thread_id=thread)
        chat.topics[thread] = topic
        self.world.emit("topic_created", chat.id, topic=dict(topic))
        return dict(topic)
