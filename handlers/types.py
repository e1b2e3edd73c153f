"""Channel-neutral input and output of the handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handlers.buttons import CALLBACK_MAX_BYTES, ButtonData
from locales import Msg

__all__ = ["CALLBACK_MAX_BYTES", "Button", "Incoming", "Outcome", "Reply", "msg"]


@dataclass(frozen=True)
class Incoming:
    """One update from any channel, reduced to what the handlers need."""

    channel: str
    update_id: int
    user_id: str
    user_name: str
    chat_id: str
    chat_type: str = "private"  # private | group | supergroup
    message_id: int | None = None
    text: str | None = None
    callback_data: str | None = None
    callback_id: str | None = None
    photos: tuple[str, ...] = ()
    location: tuple[float, float] | None = None
    reply_to_message_id: int | None = None
    thread_id: int | None = None
    language: str | None = None
    # a kind of message the bot cannot take (sticker, voice, video, document…): its name
    unsupported: str | None = None

    @property
    def is_private(self) -> bool:
        return self.chat_type == "private"

    @property
    def command(self) -> tuple[str, str] | None:
        """("report", "args") for "/report args" (also "/report@bot")."""
        if not self.text or not self.text.startswith("/"):
            return None
        head, _, rest = self.text.partition(" ")
        name = head[1:].split("@", 1)[0].lower()
        return name, rest.strip()


@dataclass(frozen=True)
class Button:
    """An inline button; ``data`` is packed from a typed ButtonData (handlers/buttons.py)."""

    label: Msg
    data: str

    def __init__(self, label: Msg, data: str | ButtonData) -> None:
        packed = data.pack() if isinstance(data, ButtonData) else data
        if len(packed.encode()) > CALLBACK_MAX_BYTES:
            raise ValueError(f"callback data too long: {packed!r}")
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "data", packed)


@dataclass
class Reply:
    """A message to show. `edit` replaces the message a button was pressed on."""

    text: Msg
    buttons: list[list[Button]] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    edit: bool = False
    request_location: bool = False
    # a ticket this message belongs to: replying to it relays into the ticket
    ticket_id: int | None = None
    # a staff card of that ticket: its other copies are kept up to date
    card: bool = False
    # generated images (filename, PNG bytes), e.g. a digest chart; sent before the text
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class Outcome:
    """What handling one update produced."""

    replies: list[Reply] = field(default_factory=list)
    # text for answerCallbackQuery (a toast, or an alert when `alert`)
    answer: Msg | None = None
    alert: bool = False
    locale: str = "zh_CN"
    # tickets whose state changed: every copy of their staff card is refreshed
    changed_tickets: set[int] = field(default_factory=set)
    # the pressed message's buttons can no longer act: take them off the message
    drop_buttons: bool = False
    # this chat's command menu (command, description), set when not None
    commands: list[tuple[str, Msg]] | None = None
    # the sender's account, when known (the sent replies' message links name it)
    account_id: int | None = None


def msg(key: str, **params: Any) -> Msg:
    return Msg(key, params)
